/**
 * What a model takes as input, made from pictures: the LBP channel a model config implies, the paper's
 * augmentation and the random crop + flip a train config asks for, and the one packing of pictures into input arrays (pixels / 255, plus the LBP channel,
 * each `[n, S, S, 1]` row-major in [0, 1]). Free of image decoders, so the offline GPU bundle can use it.
 *
 * @example
 * ```ts
 * const lbp = lbpFor({ lbp: "circle" });          // (img) => Float32Array of codes / max code
 * const aug = paperAugment();                     // (img, rng) => augmented picture
 * const both = trainAugment({ augment: true, crop: { fraction: 0.875, flip: true } });
 * const inputs = inputTensors(packInputs(faces, { size: 48, lbp })); // [raw, lbp] tensors
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GrayImage } from "../data/image.ts";
import { applyAffine, PAPER_AUGMENT, randomTransform } from "../features/augment.ts";
import { randomCropFlip } from "../features/crop.ts";
import type { LbpMethod } from "../features/lbp.ts";
import { lbpInput } from "../features/lbp_input.ts";
import type { Rng } from "../util/rng.ts";
import type { TrainConfig } from "./config.ts";

/** LBP map of a picture, values in [0,1], length width×height. */
export type LbpFn = (img: GrayImage) => Float32Array;
/** A random label-preserving transform of a picture. */
export type AugmentFn = (img: GrayImage, rng: Rng) => GrayImage;

/** The LBP input function of a model config: codes scaled to [0,1] by the method's largest code; null without LBP. */
export function lbpFor(cfg: { lbp: string }): LbpFn | null {
  if (cfg.lbp === "none") return null;
  const method = cfg.lbp as LbpMethod;
  return (img: GrayImage) => lbpInput(img, { method });
}

/** The paper's augmentation (§3.4, Keras ImageDataGenerator: rotation 20°, shifts 0.15, shear 0.15, zoom 0.15, flips). */
export function paperAugment(): AugmentFn {
  return (img, rng) =>
    applyAffine(img, randomTransform(rng, PAPER_AUGMENT, { width: img.width, height: img.height }), {
      fill: "nearest",
    });
}

/**
 * The training augmentation a config asks for: the paper's affine warp (`augment`), then the random crop +
 * flip (`crop`), each drawing from the same seeded rng in that order; null when neither is on.
 *
 * @example
 * ```ts
 * const aug = trainAugment(trainPreset("cpu")); // the paper's affine warp
 * ```
 */
export function trainAugment(cfg: Pick<TrainConfig, "augment" | "crop">): AugmentFn | null {
  const affine = cfg.augment ? paperAugment() : null, crop = cfg.crop;
  if (!crop) return affine;
  return (img, rng) => randomCropFlip(affine ? affine(img, rng) : img, rng, crop);
}

/** Pictures packed as model inputs on the host: `raw` and (with an LBP function) `lbp`, each `[n, S, S, 1]`. */
export interface PackedInputs {
  n: number;
  size: number;
  raw: Float32Array;
  lbp: Float32Array | null;
}

/**
 * Packs `size`×`size` pictures as model inputs: pixels / 255, and `lbp(picture)` when an LBP function
 * is given. `names` names a picture in errors (a sample path).
 */
export function packInputs(
  images: GrayImage[],
  opts: { size: number; lbp?: LbpFn | null; names?: (i: number) => string },
): PackedInputs {
  const s = opts.size, px = s * s, n = images.length;
  const name = (i: number) => opts.names?.(i) ?? `picture ${i}`;
  const raw = new Float32Array(n * px);
  const lbp = opts.lbp ? new Float32Array(n * px) : null;
  images.forEach((img, k) => {
    if (img.width !== s || img.height !== s || img.data.length !== px) {
      throw new Error(`${name(k)}: a ${img.width}x${img.height} picture, expected ${s}x${s}`);
    }
    const d = img.data;
    for (let p = 0; p < px; p++) raw[k * px + p] = d[p] / 255;
    if (lbp) {
      const l = opts.lbp!(img);
      if (l.length !== px) throw new Error(`LBP of ${name(k)} has ${l.length} values, expected ${px}`);
      lbp.set(l, k * px);
    }
  });
  return { n, size: s, raw, lbp };
}

/** The model inputs (`[raw]` or `[raw, lbp]`) of packed pictures as tensors; the caller disposes them. */
export function inputTensors(p: PackedInputs): tf.Tensor4D[] {
  const shape: [number, number, number, number] = [p.n, p.size, p.size, 1];
  const inputs = [tf.tensor4d(p.raw, shape)];
  if (p.lbp) inputs.push(tf.tensor4d(p.lbp, shape));
  return inputs;
}
