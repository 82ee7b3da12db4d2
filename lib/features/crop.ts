/**
 * Crops, flips and the bilinear resize they share: the random crop + flip training augmentation
 * (a crop of a fixed fraction of the side at a random position, resized back to the full side, then a
 * left-right flip with p = ½) and the views of test-time ten-crop averaging (lib/engine/predict.ts),
 * which use the same crop fraction and resize so that training and test pictures match.
 *
 * @example
 * ```ts
 * const view = randomCropFlip(face48, new Rng(1), { fraction: 0.875, flip: true }); // a 42-px crop, back at 48 px
 * ```
 * @module
 */
import type { Rng } from "../util/rng.ts";
import type { GrayImage } from "../data/image.ts";

/** Mirror left-right. */
export function flipLR(im: GrayImage): GrayImage {
  const { width: w, height: h } = im, data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = im.data[y * w + w - 1 - x];
  return { width: w, height: h, data };
}

/**
 * The `c`×`c` square whose top-left pixel is (x0, y0); it must lie inside the picture.
 *
 * @example
 * ```ts
 * cropSquare(face48, 3, 3, 42).width; // 42
 * ```
 */
export function cropSquare(im: GrayImage, x0: number, y0: number, c: number): GrayImage {
  if (x0 < 0 || y0 < 0 || x0 + c > im.width || y0 + c > im.height || c < 1) {
    throw new Error(`crop ${c}x${c} at (${x0}, ${y0}) does not fit a ${im.width}x${im.height} picture`);
  }
  const data = new Uint8Array(c * c);
  for (let y = 0; y < c; y++) data.set(im.data.subarray((y0 + y) * im.width + x0, (y0 + y) * im.width + x0 + c), y * c);
  return { width: c, height: c, data };
}

/** Square bilinear resize (pixel centres aligned, like OpenCV's INTER_LINEAR). */
export function resizeBilinear(im: GrayImage, size: number): GrayImage {
  const data = new Uint8Array(size * size), sx = im.width / size, sy = im.height / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(im.height - 1, Math.max(0, (y + 0.5) * sy - 0.5)),
      y0 = Math.floor(fy),
      y1 = Math.min(im.height - 1, y0 + 1);
    for (let x = 0; x < size; x++) {
      const fx = Math.min(im.width - 1, Math.max(0, (x + 0.5) * sx - 0.5)),
        x0 = Math.floor(fx),
        x1 = Math.min(im.width - 1, x0 + 1);
      const a = im.data[y0 * im.width + x0], b = im.data[y0 * im.width + x1];
      const c = im.data[y1 * im.width + x0], d = im.data[y1 * im.width + x1];
      const top = a + (b - a) * (fx - x0), bot = c + (d - c) * (fx - x0);
      data[y * size + x] = Math.round(top + (bot - top) * (fy - y0));
    }
  }
  return { width: size, height: size, data };
}

/** Side of the crop of a square picture of side `size` at `fraction` (42 of 48 at 0.875). */
export function cropSide(size: number, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`crop fraction must be in (0, 1], got ${fraction}`);
  return Math.max(1, Math.round(size * fraction));
}

/**
 * The crop at relative position (fx, fy) ∈ [0,1]² (0 = left/top, 1 = right/bottom, ½ = centre) of
 * `fraction` of the side, resized back to the picture's side.
 *
 * @example
 * ```ts
 * const centre = cropResized(face48, 0.875, 0.5, 0.5);
 * ```
 */
export function cropResized(im: GrayImage, fraction: number, fx: number, fy: number): GrayImage {
  const c = cropSide(im.width, fraction);
  return resizeBilinear(cropSquare(im, Math.round(fx * (im.width - c)), Math.round(fy * (im.height - c)), c), im.width);
}

/** Options of {@link randomCropFlip}. */
export interface CropFlipOptions {
  /** Side of the crop as a fraction of the picture's side, in (0, 1]. */
  fraction: number;
  /** Mirror left-right with probability ½. */
  flip: boolean;
}

/**
 * A random crop (every integer position equally likely) resized back to the picture's side, then
 * maybe flipped. Draws from `rng` in a fixed order: x offset, y offset, flip.
 *
 * @example
 * ```ts
 * const aug = randomCropFlip(face48, rng, { fraction: 0.875, flip: true });
 * ```
 */
export function randomCropFlip(im: GrayImage, rng: Rng, opts: CropFlipOptions): GrayImage {
  if (im.width !== im.height) throw new Error(`random crop needs a square picture, got ${im.width}x${im.height}`);
  const c = cropSide(im.width, opts.fraction);
  const x0 = rng.int(im.width - c + 1), y0 = rng.int(im.height - c + 1);
  const out = c === im.width ? im : resizeBilinear(cropSquare(im, x0, y0, c), im.width);
  return opts.flip && rng.next() < 0.5 ? flipLR(out) : out;
}
