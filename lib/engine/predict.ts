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
import * as tf from "@tensorflow/tfjs-core";
import { argmaxRows, type EvalReport, evalReport } from "../eval/metrics.ts";
import type { Tta } from "./config.ts";
import { inputTensors, type LbpFn, packInputs } from "./inputs.ts";
import type { ImageCache } from "./pipeline.ts";
import { labelOf } from "../data/dataset.ts";
import type { GrayImage } from "../data/image.ts";
import { cropResized, flipLR } from "../features/crop.ts";
import type { FerModel } from "../model/build.ts";

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

/** Class probabilities `[n·k]` of pictures already at the model's input size (read back asynchronously:
 * the WebGPU backend has no synchronous read under Deno). */
export async function predictImages(
  fm: FerModel,
  imgs: GrayImage[],
  opts: { lbp?: LbpFn | null; tta?: Tta } = {},
): Promise<Float32Array> {
  const s = fm.config.inputSize, k = fm.config.numClasses;
  const needLbp = fm.config.lbp !== "none";
  if (needLbp && !opts.lbp) {
    throw new Error(`the model takes an LBP input (${fm.config.lbp}) but no LBP function was given`);
  }
  if (fm.model.inputs.length !== (needLbp ? 2 : 1)) {
    throw new Error(
      `config says lbp "${fm.config.lbp}" (${needLbp ? 2 : 1} inputs) but the model has ${fm.model.inputs.length}`,
    );
  }
  const out = new Float32Array(imgs.length * k);
  if (imgs.length === 0) return out;
  const views = ttaViews(opts.tta ?? "none");
  for (const view of views) {
    const vimgs = imgs.map((im) => {
      if (im.width !== s || im.height !== s) {
        throw new Error(`picture is ${im.width}x${im.height}, the model takes ${s}x${s}`);
      }
      return view(im);
    });
    const packed = packInputs(vimgs, { size: s, lbp: needLbp ? opts.lbp : null });
    const p = tf.tidy(() => fm.model.predict(inputTensors(packed)) as tf.Tensor);
    const d = await p.data();
    p.dispose();
    for (let i = 0; i < out.length; i++) out[i] += d[i] / views.length;
  }
  return out;
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

/** Side of each ten-crop view as a fraction of the picture's side (42 of 48), resized back to the full side. */
export const TENCROP_FRACTION = 0.875;

type View = (im: GrayImage) => GrayImage;

/** The picture transforms averaged by a TTA mode (the identity first). */
export function ttaViews(tta: Tta): View[] {
  if (tta === "none") return [(im) => im];
  if (tta === "flip") return [(im) => im, flipLR];
  if (tta === "tencrop") {
    const crops: View[] = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]].map(([fx, fy]) => (im: GrayImage) =>
      cropResized(im, TENCROP_FRACTION, fx, fy)
    );
    return [...crops, ...crops.map((v) => (im: GrayImage) => flipLR(v(im)))];
  }
  throw new Error(`unknown TTA "${tta}" (none, flip, tencrop)`);
}
