/**
 * Offline enlargement of a small set to a target size by augmentation ({@link enlarge}, the paper's
 * CK+ 981 → 12,000).
 *
 * @example
 * ```ts
 * const { images, source } = enlarge(faces, 12000, 42);
 * const labels = source.map((k) => faceLabels[k]);
 * ```
 * @module
 */
import { Progress } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import { type Affine, applyAffine, type AugmentParams, PAPER_AUGMENT, randomTransform } from "./augment.ts";
import type { GrayImage } from "./gray.ts";

/** Result of {@link enlarge}: `source[k]` is the index of the original behind `images[k]`, `affines[k]` its matrix. */
export interface Enlarged {
  images: GrayImage[];
  /** The matrix used for each image (re-apply it to masks to keep them aligned). */
  affines: Affine[];
  source: number[];
}

/**
 * Grows a set to `targetCount` images: the originals first (identity matrices), then augmented
 * copies of originals 0, 1, 2, … in turn (so every original gets ⌊extra/n⌋ or one more copies).
 * Deterministic for a given seed.
 *
 * @example
 * ```ts
 * const big = enlarge(ckplus, 12000, 7);
 * ```
 */
export function enlarge(
  images: GrayImage[],
  targetCount: number,
  seed: number,
  params: AugmentParams = PAPER_AUGMENT,
): Enlarged {
  if (images.length === 0) throw new Error("enlarge needs at least one image");
  if (!Number.isInteger(targetCount) || targetCount < images.length) {
    throw new Error(`enlarge target ${targetCount} must be an integer >= the ${images.length} originals`);
  }
  const rng = new Rng(seed);
  const out: GrayImage[] = [...images];
  const affines: Affine[] = images.map(() => [1, 0, 0, 0, 1, 0] as const);
  const source = images.map((_, k) => k);
  const progress = new Progress({ label: "augment", total: targetCount - images.length, unit: "img" });
  for (let k = 0; out.length < targetCount; k++) {
    const src = k % images.length;
    const m = randomTransform(rng, params, images[src]);
    out.push(applyAffine(images[src], m));
    affines.push(m);
    source.push(src);
    progress.tick(1);
  }
  progress.done();
  return { images: out, affines, source };
}
