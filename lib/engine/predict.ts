/**
 * Runs a model over dataset samples: class probabilities (optionally averaged over test-time
 * augmentations: left-right flip, or ten-crop = 4 corners + centre, each also flipped) and the
 * {@link EvalReport} of the arg-max predictions.
 *
 * TTA views are made on the 8-bit picture and LBP is recomputed from each view, exactly as in
 * training, so both input streams always show the same face.
 *
 * @example
 * ```ts
 * const rep = await evaluate({ model: fm, cache, indices: valIdx, lbp, split: "PublicTest", tta: "flip" });
 * console.log(rep.accuracy, rep.macroF1);
 * ```
 * @module
 */
import { argmaxRows, type EvalReport, evalReport } from "../eval/metrics.ts";
import type { Tta } from "./config.ts";
import type { LbpFn } from "./inputs.ts";
import type { ImageCache } from "./pipeline.ts";
import { predictImages } from "./predict_images.ts";
import { labelOf } from "../data/dataset.ts";
import type { FerModel } from "../model/build.ts";

export { predictImages, TENCROP_FRACTION, ttaViews } from "./predict_images.ts";

/** Options of {@link predictSamples} and {@link evaluate}. */
export interface PredictOptions {
  model: FerModel;
  cache: ImageCache;
  indices: number[];
  lbp?: LbpFn | null;
  batchSize?: number;
  tta?: Tta;
}

/** Class probabilities `[n·k]` (row-major) and true labels of the given samples. */
export async function predictSamples(opts: PredictOptions): Promise<{ probs: Float32Array; labels: Int32Array }> {
  const k = opts.model.config.numClasses, bs = opts.batchSize ?? 64, ds = opts.cache.dataset;
  const probs = new Float32Array(opts.indices.length * k);
  const labels = Int32Array.from(opts.indices, (i) => labelOf(ds, ds.samples[i]));
  let next = Promise.all(opts.indices.slice(0, bs).map((i) => opts.cache.get(i)));
  for (let start = 0; start < opts.indices.length; start += bs) {
    const imgs = await next;
    next = Promise.all(opts.indices.slice(start + bs, start + 2 * bs).map((i) => opts.cache.get(i)));
    const p = await predictImages(opts.model, imgs, { lbp: opts.lbp, tta: opts.tta });
    probs.set(p, start * k);
  }
  return { probs, labels };
}

/** Full report of a model on some samples of the cache's dataset. */
export async function evaluate(opts: PredictOptions & { split: string }): Promise<EvalReport> {
  const { probs, labels } = await predictSamples(opts);
  const k = opts.model.config.numClasses;
  return evalReport({
    yTrue: labels,
    yPred: argmaxRows(probs, k),
    labels: opts.cache.dataset.classes,
    split: opts.split,
  });
}
