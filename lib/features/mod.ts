/**
 * Features of a face picture: local binary patterns (and their scaling to a network input), the
 * paper's random affine augmentation, random crops and flips (and the resize they share with test-time
 * ten-crop), offline enlargement, and scikit-image as the LBP reference.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): augment.ts, crop.ts, gray.ts,
 *  lbp.ts, lbp_input.ts.
 *
 * @example
 * ```ts
 * import { applyAffine, lbpInput, PAPER_AUGMENT, randomTransform } from "../lib/features/mod.ts";
 * const x = lbpInput(face, { method: "circle" });
 * const warped = applyAffine(face, randomTransform(rng, PAPER_AUGMENT, face));
 * ```
 * @module
 */
export { lbp, LBP_METHODS, type LbpImage, lbpMaxCode, type LbpMethod, type LbpOptions, sampleOffsets } from "./lbp.ts";
export { codeHistogram, lbpInput, type LbpInputOptions, type LbpNormalise } from "./lbp_input.ts";
export {
  type Affine,
  affineFromParams,
  applyAffine,
  type ApplyOptions,
  type AugmentParams,
  IDENTITY,
  PAPER_AUGMENT,
  randomTransform,
  randomTransformParams,
  type Size,
  sourcePoint,
  targetPoint,
  type TransformParams,
} from "./augment.ts";
export {
  type CropFlipOptions,
  cropResized,
  cropSide,
  cropSquare,
  flipLR,
  randomCropFlip,
  resizeBilinear,
} from "./crop.ts";
export { enlarge, type Enlarged } from "./enlarge.ts";
export { checkGray, writeGrayPng } from "./gray.ts";
export { listImages, samplePerClass } from "./realdata.ts";
export {
  hasSkimage,
  SKIMAGE_METHOD,
  skimageBench,
  type SkimageConfig,
  skimageLbp,
  type SkimageTiming,
} from "./skimage.ts";
