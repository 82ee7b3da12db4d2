/**
 * From a photo to the model's input: grey (ITU-R 601 luma), the square window a margin makes around a detected
 * box (edge pixels repeated where it leaves the photo), area-resized to the model's side.
 *
 * @example
 * ```ts
 * const face = faceCrop(rgb, box, { margin: 0.2, size: 48 }); // 48×48 GrayImage
 * ```
 * @module
 */
import { type GrayImage, resizeGray, type RgbImage } from "../data/image.ts";
import { type FaceBox, squareWindow } from "./box.ts";

/** Grey of an RGB picture: round(0.299 R + 0.587 G + 0.114 B). */
export function toGray(img: RgbImage): GrayImage {
  const n = img.width * img.height, d = img.data, out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2]);
  return { width: img.width, height: img.height, data: out };
}

/** Options of {@link faceCrop}. */
export interface FaceCropOptions {
  /** Extra side around the box, as a fraction of its longer side (0.2: a square 1.2 times the box). */
  margin: number;
  /** Side of the result (the model's input size). */
  size: number;
}

/** The square window around `box` (see {@link squareWindow}) of a grey photo, area-resized to `size`×`size`. */
export function faceCrop(gray: GrayImage, box: Omit<FaceBox, "score">, opts: FaceCropOptions): GrayImage {
  const w = squareWindow(box, opts.margin);
  const side = Math.max(1, Math.round(w.side)), x0 = Math.round(w.x), y0 = Math.round(w.y);
  const out = new Uint8Array(side * side);
  const cx = (x: number) => Math.min(gray.width - 1, Math.max(0, x));
  for (let y = 0; y < side; y++) {
    const row = Math.min(gray.height - 1, Math.max(0, y0 + y)) * gray.width;
    for (let x = 0; x < side; x++) out[y * side + x] = gray.data[row + cx(x0 + x)];
  }
  return resizeGray({ width: side, height: side, data: out }, opts.size, opts.size, "area");
}
