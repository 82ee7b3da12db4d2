/**
 * The two per-picture input functions a model config implies: its LBP channel and the paper's
 * augmentation. Free of image decoders, so the offline GPU bundle can use them.
 *
 * @example
 * ```ts
 * const lbp = lbpFor({ lbp: "circle" }); // (img) => Float32Array of codes / max code
 * const aug = paperAugment();            // (img, rng) => augmented picture
 * ```
 * @module
 */
import { lbp, lbpMaxCode, type LbpMethod } from "../features/lbp.ts";
import { applyAffine, PAPER_AUGMENT, randomTransform } from "../features/augment.ts";
import type { AugmentFn, LbpFn } from "./pipeline.ts";
import type { GrayImage } from "../data/image.ts";

/** The LBP input function of a model config: codes scaled to [0,1] by the method's largest code; null without LBP. */
export function lbpFor(cfg: { lbp: string }): LbpFn | null {
  if (cfg.lbp === "none") return null;
  const method = cfg.lbp as LbpMethod;
  const max = lbpMaxCode({ method });
  return (img: GrayImage) => Float32Array.from(lbp(img, { method }).codes, (c) => c / max);
}

/** The paper's augmentation (§3.4, Keras ImageDataGenerator: rotation 20°, shifts 0.15, shear 0.15, zoom 0.15, flips). */
export function paperAugment(): AugmentFn {
  return (img, rng) =>
    applyAffine(img, randomTransform(rng, PAPER_AUGMENT, { width: img.width, height: img.height }), {
      fill: "nearest",
    });
}
