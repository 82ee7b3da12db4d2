/**
 * The shapes the engine needs from the data, feature and model areas, written structurally so
 * the engine works with `lib/data`'s `Dataset`, `lib/model`'s `FerModel` and any equivalent.
 *
 * @example
 * ```ts
 * const fm: FerModelLike = { config: { inputSize: 48, lbp: "none", numClasses: 7 }, model };
 * ```
 * @module
 */
import type * as tfl from "@tensorflow/tfjs-layers";

/** An 8-bit greyscale picture, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One labelled item of a dataset. `label` is a class index or a class name. */
export interface SampleLike {
  path: string;
  label: number | string;
  subject?: string;
  sequence?: string;
  split?: string;
}

/** What the engine reads from a dataset. */
export interface DatasetLike {
  name: string;
  root: string;
  classes: string[];
  samples: SampleLike[];
  load(sample: SampleLike, opts?: { size?: number }): Promise<GrayImage>;
}

/** The part of a model configuration the engine reads. */
export interface ModelConfigLike {
  inputSize: number;
  lbp: string;
  numClasses: number;
}

/** A built model: inputs `[raw]` (lbp "none") or `[raw, lbp]`, each `[N,S,S,1]` in [0,1]; softmax output. */
export interface FerModelLike {
  config: ModelConfigLike;
  model: tfl.LayersModel;
}

/** Class index of a sample, whether it stores an index or a name. */
export function labelIndex(ds: Pick<DatasetLike, "classes" | "name">, s: SampleLike): number {
  if (typeof s.label === "number") {
    if (!Number.isInteger(s.label) || s.label < 0 || s.label >= ds.classes.length) {
      throw new Error(`${s.path}: label ${s.label} is not a class index of ${ds.name} (0..${ds.classes.length - 1})`);
    }
    return s.label;
  }
  const i = ds.classes.indexOf(s.label);
  if (i < 0) {
    throw new Error(`${s.path}: label "${s.label}" is not one of ${ds.name}'s classes ${ds.classes.join(",")}`);
  }
  return i;
}
