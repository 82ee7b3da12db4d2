/**
 * The grayscale picture every decoder gives and every feature reads: its own file, below the codecs
 * (image.ts, bmp.ts), so that neither has to import the other for it.
 *
 * @example
 * ```ts
 * const img: GrayImage = { width: 2, height: 1, data: new Uint8Array([0, 255]) };
 * ```
 * @module
 */

/** Row-major 8-bit grayscale image. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}
