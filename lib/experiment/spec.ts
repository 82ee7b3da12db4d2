/**
 * One experiment spec: the dataset, the model (a preset and overrides), the training (a preset and
 * overrides) and the protocol, as plain JSON. One parser serves every entry point — `fer train`'s
 * flags and `--config` file, `experiments/<table>/<row>.json`, the demo and the GPU check — and
 * names the field and the place when something is wrong. Preset names are checked against the one
 * registry of each (lib/model/presets.ts, lib/engine/config.ts); the number of classes is the
 * dataset's, so no spec states it. The training is resolved to the engine's `TrainConfig` here, once: the
 * parser returns it beside the spec as written, and training takes it from there.
 *
 * @example
 * ```ts
 * const spec = parseSpec({
 *   dataset: { dataset: "ckplus", datasetsPath: "ckplus48", dropContempt: true },
 *   model: { preset: "cpu-small", inputSize: 48 },
 *   train: "default",
 *   protocol: { kind: "kfold", k: 5, by: "subject", seed: 42 },
 * }, "my.json");
 * spec.train.optimizer; // "adam": the training, resolved and validated here, once
 * const model = resolveModel(spec.spec.model, 6); // a validated ModelConfig with numClasses 6
 * ```
 * @module
 */
import { join } from "node:path";
import { DATASET_KINDS, type LoadDatasetOptions } from "../data/kinds.ts";
import { datasetsRoot } from "../data/paths.ts";
import type { SplitRoute } from "../data/routing.ts";
import { TRAIN_PRESETS, type TrainConfig, trainPreset } from "../engine/config.ts";
import type { ModelConfig } from "../model/config.ts";
import { preset, PRESETS } from "../model/presets.ts";

/** A model: a preset of lib/model/presets.ts (default "paper") with overrides; a full config is one too. */
export type ModelSpec = { preset?: string } & Partial<ModelConfig>;

/** A training: a preset of lib/engine/config.ts (default "default") with overrides. */
export type TrainSpec = { preset?: string } & Partial<TrainConfig>;

/** A dataset: the loader options, with the folder given as a path or under the shared datasets root. */
export type DatasetSpec = LoadDatasetOptions & {
  /** A folder under the datasets root (FER_DATA or ../shared/datasets), instead of `root`. */
  datasetsPath?: string;
};

/**
 * How the data are split: official splits or held-out parts (see lib/data/routing.ts), or k folds,
 * random or subject-independent, their assignment drawn with `seed`. `only` (1-based fold numbers) trains and tests those folds alone: one
 * fold is a job of a grid (lib/grid/plan.ts), whose k records together give what the whole k-fold
 * run gives; a few are a cheaper screening proxy (the recipe study).
 */
export type Protocol =
  | ({ kind: "split" } & SplitRoute)
  | { kind: "kfold"; k: number; by: "random" | "subject"; seed: number; only?: number[] };

/** One experiment. */
export interface ExperimentSpec {
  dataset: DatasetSpec;
  model: ModelSpec;
  train: TrainSpec;
  protocol: Protocol;
}

/** The validated model config of a spec for a dataset of `numClasses` classes. */
export function resolveModel(m: ModelSpec, numClasses: number): ModelConfig {
  const { preset: name = "paper", ...overrides } = m;
  if (overrides.numClasses !== undefined && overrides.numClasses !== numClasses) {
    throw new Error(`model has ${overrides.numClasses} classes, the dataset has ${numClasses}`);
  }
  return preset(name, { ...overrides, numClasses });
}

/** The name a dataset spec gives its dataset in records and tables. */
export function datasetName(d: DatasetSpec): string {
  return d.name ?? d.dataset;
}

/** True when the spec names no data folder: the user must supply one (JAFFE, Oulu-CASIA: not redistributable). */
export function needsUserData(d: DatasetSpec): boolean {
  return d.dataset !== "synthetic" && d.root === undefined && d.datasetsPath === undefined;
}

/**
 * The loader options of a dataset spec: `root` (the user's folder) wins, then the spec's own root, then
 * its `datasetsPath` under `datasetsRoot` (default: this checkout's, FER_DATA or ../shared/datasets; null:
 * none); errors say what to pass. The one place a spec meets the datasets root.
 */
export function datasetOptions(
  d: DatasetSpec,
  o: { root?: string; datasetsRoot?: string | null; where?: string } = {},
): LoadDatasetOptions {
  const { datasetsPath, ...opts } = d;
  const where = o.where ? `${o.where}: ` : "";
  if (o.root !== undefined) return { ...opts, root: o.root };
  if (opts.root !== undefined || opts.dataset === "synthetic") return opts;
  if (datasetsPath === undefined) {
    throw new Error(`${where}${datasetName(d)} cannot be redistributed; pass --root with your copy`);
  }
  const base = o.datasetsRoot === undefined ? datasetsRoot() : o.datasetsRoot;
  if (!base) throw new Error(`${where}no datasets folder (set FER_DATA or pass --root)`);
  return { ...opts, root: join(base, datasetsPath) };
}

/**
 * A dataset spec's folder under this checkout's datasets root (FER_DATA or ../shared/datasets), as loader
 * options; null when there is no datasets root here or the spec names no folder under it.
 *
 * @example
 * ```ts
 * datasetHere({ dataset: "ckplus", datasetsPath: "ckplus48" })?.root; // "<datasets root>/ckplus48"
 * ```
 */
export function datasetHere(d: DatasetSpec): LoadDatasetOptions | null {
  const base = datasetsRoot();
  return base && d.datasetsPath ? datasetOptions(d, { datasetsRoot: base }) : null;
}

/** The fields a dataset spec may have (spec_test.ts holds it equal to {@link DatasetSpec}'s keys). */
export const DATASET_KEYS = [
  "dataset",
  "root",
  "datasetsPath",
  "name",
  "splits",
  "lastK",
  "dropContempt",
  "modality",
  "illumination",
  "n",
  "size",
  "seed",
  "subjects",
  "clutter",
] as const satisfies readonly (keyof DatasetSpec)[];

/** A spec {@link parseSpec} checked: the spec as written, and its training as the engine runs it. */
export interface ParsedSpec {
  /** The spec, shorthands expanded: what run.json keeps and a grid job's hash is taken of. */
  spec: ExperimentSpec;
  /** `spec.train` resolved (its preset with the overrides) and validated: the one place it is. */
  train: TrainConfig;
}

/**
 * Checks a spec read from JSON (or built from flags) and returns it with string shorthands expanded
 * (`"model": "cpu-small"` is `{ "preset": "cpu-small" }`), beside its training resolved. Every error starts
 * with `where` and names the field. Model overrides are checked by resolving them (with the dataset's classes
 * unknown); a k-fold protocol without a seed draws its folds with the training's seed.
 */
export function parseSpec(x: unknown, where: string): ParsedSpec {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  const obj = (v: unknown, field: string): Record<string, unknown> => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(`"${field}" must be a JSON object`);
    return v as Record<string, unknown>;
  };
  const o = obj(x, "spec");
  const extra = Object.keys(o).filter((k) => !["dataset", "model", "train", "protocol"].includes(k));
  if (extra.length) fail(`unknown field(s) ${extra.join(", ")}; a spec has dataset, model, train and protocol`);

  const d = obj(o.dataset, "dataset");
  if (!(DATASET_KINDS as readonly unknown[]).includes(d.dataset)) {
    fail(`"dataset.dataset" must be one of ${DATASET_KINDS.join(", ")}, got ${JSON.stringify(d.dataset)}`);
  }
  const dExtra = Object.keys(d).filter((k) => !(DATASET_KEYS as readonly string[]).includes(k));
  if (dExtra.length) fail(`unknown dataset field(s) ${dExtra.join(", ")}; known: ${DATASET_KEYS.join(", ")}`);

  const model = (typeof o.model === "string" ? { preset: o.model } : obj(o.model, "model")) as ModelSpec;
  if (model.preset !== undefined && !(model.preset in PRESETS)) {
    fail(`unknown model preset "${model.preset}" (have ${Object.keys(PRESETS).join(", ")})`);
  }
  const train = (typeof o.train === "string" ? { preset: o.train } : obj(o.train, "train")) as TrainSpec;
  if (train.preset !== undefined && !(train.preset in TRAIN_PRESETS)) {
    fail(`unknown train preset "${train.preset}" (have ${Object.keys(TRAIN_PRESETS).join(", ")})`);
  }
  const checked = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
  };
  checked(() => resolveModel(model, model.numClasses ?? 7));
  const { preset: trainPresetName = "default", ...overrides } = train;
  const trainConfig = checked(() => trainPreset(trainPresetName, overrides));

  const given = obj(o.protocol, "protocol");
  const p = given.kind === "kfold" && given.seed === undefined ? { ...given, seed: trainConfig.seed } : given;
  if (p.kind === "split") {
    for (const k of ["train", "val"]) {
      if (typeof p[k] !== "string" || p[k] === "") fail(`"protocol.${k}" must be a split name`);
    }
    if (p.test !== undefined && (typeof p.test !== "string" || p.test === "")) {
      fail(`"protocol.test" must be a split name`);
    }
    for (const k of ["val", "test"]) {
      const m = /^holdout:(.*)$/.exec(String(p[k] ?? ""));
      if (m && !(Number(m[1]) > 0 && Number(m[1]) < 1)) {
        fail(`"protocol.${k}" ${p[k]} must hold out a share between 0 and 1, e.g. holdout:0.2`);
      }
    }
  } else if (p.kind === "kfold") {
    const k = p.k as number;
    if (!(Number.isInteger(k) && k >= 2) || (p.by !== "random" && p.by !== "subject")) {
      fail(`k-fold protocol needs k >= 2 and by = random | subject`);
    }
    if (!Number.isInteger(p.seed)) fail(`"protocol.seed" must be an integer`);
    const only = p.only as unknown[] | undefined;
    if (
      only !== undefined &&
      !(Array.isArray(only) && only.length &&
        only.every((f) => Number.isInteger(f) && (f as number) >= 1 && (f as number) <= k))
    ) {
      fail(`"protocol.only" must be a non-empty list of fold numbers from 1 to k = ${k}, got ${JSON.stringify(only)}`);
    }
  } else fail(`"protocol.kind" must be split or kfold`);
  return {
    spec: { dataset: d as unknown as DatasetSpec, model, train, protocol: p as unknown as Protocol },
    train: trainConfig,
  };
}

/** A protocol as written: a k-fold one may leave its seed to {@link parseSpec} (the training's seed). */
export type ProtocolInput =
  | Exclude<Protocol, { kind: "kfold" }>
  | (Omit<Extract<Protocol, { kind: "kfold" }>, "seed"> & { seed?: number });

/** A spec as written, before {@link parseSpec}: every part optional, model and train may be a preset name. */
export interface SpecInput {
  dataset?: Partial<DatasetSpec>;
  model?: string | ModelSpec;
  train?: string | TrainSpec;
  protocol?: ProtocolInput;
}

/** `over` on top of `base`: dataset, model and train merge field by field (a preset name is `{ preset }`); a protocol replaces. */
export function mergeSpecs(base: SpecInput, over: SpecInput): SpecInput {
  const named = <T>(v: string | T | undefined) => (typeof v === "string" ? { preset: v } : v);
  const out: SpecInput = { ...base };
  if (over.dataset) out.dataset = { ...base.dataset, ...over.dataset };
  if (over.model) out.model = { ...named(base.model), ...named(over.model) };
  if (over.train) out.train = { ...named(base.train), ...named(over.train) };
  if (over.protocol) out.protocol = over.protocol;
  return out;
}
