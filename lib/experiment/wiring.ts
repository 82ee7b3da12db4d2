/**
 * The one place where the engine meets the data, feature and model areas: dataset loading, the
 * LBP and augmentation functions for a model config, model building and model files.
 *
 * @example
 * ```ts
 * const ds = await openDataset({ dataset: "ckplus", root: "../shared/datasets/ckplus48" });
 * const fm = buildFer(modelPreset("cpu-small", { numClasses: ds.classes.length }));
 * ```
 * @module
 */
import { loadDataset, type LoadDatasetOptions } from "../data/load.ts";
import { kFold } from "../data/folds.ts";
import { summarize } from "../data/summary.ts";
import { decodeImage } from "../data/image.ts";
import type { ModelConfig } from "../model/config.ts";
import { preset } from "../model/presets.ts";
import { buildModel, type FerModel } from "../model/build.ts";
import { loadModel, saveModel } from "../model/io.ts";
import type { DatasetLike, GrayImage } from "../engine/types.ts";

export type { FerModel, ModelConfig };
export { lbpFor, paperAugment } from "../engine/inputs.ts";

/** Loads a dataset through lib/data. */
export function openDataset(opts: LoadDatasetOptions): Promise<DatasetLike> {
  return loadDataset(opts);
}

/** lib/data's dataset summary (counts per split and class, subjects). */
export function datasetSummary(ds: DatasetLike): unknown {
  return summarize(ds as Parameters<typeof summarize>[0]);
}

/** Test-fold indices from lib/data's fold builder. */
export function foldIndices(ds: DatasetLike, opts: { k: number; seed: number; by: "random" | "subject" }): number[][] {
  return kFold(ds.samples as Parameters<typeof kFold>[0], opts);
}

/** A model preset with overrides. */
export function modelPreset(name: string, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return preset(name, overrides);
}

/** Builds the network of a config. */
export function buildFer(cfg: ModelConfig): FerModel {
  return buildModel(cfg);
}

/** Saves a model with its class names (tfjs format + fer-config.json). */
export function saveFer(fm: FerModel, dir: string, labels: string[]): Promise<void> {
  return saveModel({ ...fm, labels }, dir);
}

/** Loads a model saved by {@link saveFer}. */
export function loadFer(dir: string): Promise<FerModel> {
  return loadModel(dir);
}

/** Decodes an image file to a `size`×`size` grey picture. */
export function readPicture(path: string, size: number): Promise<GrayImage> {
  return decodeImage(path, { size });
}
