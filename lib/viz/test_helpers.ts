/**
 * Test helpers for lib/viz: decode a PNG (with @napi-rs/canvas) and summarise its pixels.
 *
 * @example
 * ```ts
 * const s = await pngStats(fig.png);
 * assert.ok(s.variance > 0);
 * ```
 * @module
 */
import { createCanvas, loadImage } from "@napi-rs/canvas";

/** Size and pixel statistics of a decoded PNG. */
export interface PngStats {
  width: number;
  height: number;
  /** Variance of the luminance over all pixels. */
  variance: number;
  /** Fraction of pixels that differ from the top-left (background) pixel. */
  nonBackground: number;
  /** Count of pixels whose RGB differs by more than 40 between channels (i.e. coloured). */
  coloured: number;
}

/**
 * Decodes PNG bytes and computes {@link PngStats}; throws if the bytes are not a PNG.
 *
 * @example
 * ```ts
 * const { width, height } = await pngStats(fig.png);
 * ```
 */
export async function pngStats(png: Uint8Array): Promise<PngStats> {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => png[i] === b)) throw new Error("not a PNG: bad signature");
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const n = img.width * img.height;
  let sum = 0, sum2 = 0, diff = 0, coloured = 0;
  const [r0, g0, b0] = [data[0], data[1], data[2]];
  for (let i = 0; i < n; i++) {
    const r = data[4 * i], g = data[4 * i + 1], b = data[4 * i + 2];
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += y;
    sum2 += y * y;
    if (r !== r0 || g !== g0 || b !== b0) diff++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
  }
  const mean = sum / n;
  return { width: img.width, height: img.height, variance: sum2 / n - mean * mean, nonBackground: diff / n, coloured };
}
