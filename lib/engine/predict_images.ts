/**
 * Class probabilities of pictures already at a model's input size, optionally averaged over test-time
 * augmentations (left-right flip, or ten-crop = 4 corners + centre, each also flipped). Free of file and dataset
 * code, so the page's bundle (web/app.ts) can take it.
 *
 * @example
 * ```ts
 * const probs = await predictImages(fm, faces, { lbp: lbpFor(fm.config), tta: "flip" }); // [n·k]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Tta } from "./config.ts";
import { inputTensors, type LbpFn, packInputs } from "./inputs.ts";
import type { GrayImage } from "../data/image.ts";
import { cropResized, flipLR } from "../features/crop.ts";
import type { FerModel } from "../model/build.ts";

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
