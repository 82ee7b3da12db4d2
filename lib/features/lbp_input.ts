/**
 * The LBP image as a network input channel in [0, 1], and code histograms.
 *
 * Normalisation (`normalise`):
 * - `"scale"` (default): `code / maxCode`, with `maxCode` = {@link lbpMaxCode} (255 for `original`
 *   and P=8 `circle`, i.e. the usual code/255). Keeps the code order; uniform/riu2 codes spread over
 *   the range by their index.
 * - `"equalise"`: histogram equalisation per image, `cdf(code) / pixels`, where `cdf(code)` counts
 *   the pixels whose code is ≤ code. Values lie in (0, 1]; a single-code (flat) image maps to 1.
 *
 * @example
 * ```ts
 * const x = lbpInput(img, { method: "circle", points: 8, radius: 1 }); // Float32Array, img.width*img.height
 * ```
 * @module
 */
import type { GrayImage } from "./gray.ts";
import { lbp, lbpMaxCode, type LbpOptions } from "./lbp.ts";

/** How codes become [0, 1] values. */
export type LbpNormalise = "scale" | "equalise";

/** Options of {@link lbpInput}. */
export interface LbpInputOptions extends LbpOptions {
  normalise?: LbpNormalise;
}

/**
 * Counts of each code 0..maxCode.
 *
 * @example
 * ```ts
 * const hist = codeHistogram(lbp(img, { method: "riu2" }).codes, 9); // 10 bins
 * ```
 */
export function codeHistogram(codes: Uint16Array, maxCode: number): Uint32Array {
  const hist = new Uint32Array(maxCode + 1);
  for (let k = 0; k < codes.length; k++) {
    const v = codes[k];
    if (v > maxCode) throw new Error(`code ${v} at index ${k} exceeds maxCode ${maxCode}`);
    hist[v]++;
  }
  return hist;
}

/**
 * LBP codes of `img` normalised to [0, 1], row-major, one value per pixel.
 *
 * @example
 * ```ts
 * const eq = lbpInput(img, { method: "uniform", normalise: "equalise" });
 * ```
 */
export function lbpInput(img: GrayImage, opts: LbpInputOptions): Float32Array {
  const normalise = opts.normalise ?? "scale";
  if (normalise !== "scale" && normalise !== "equalise") {
    throw new Error(`LBP normalise must be "scale" or "equalise", got "${normalise}"`);
  }
  const { codes } = lbp(img, opts);
  const maxCode = lbpMaxCode(opts);
  const out = new Float32Array(codes.length);
  if (normalise === "scale") {
    for (let k = 0; k < codes.length; k++) out[k] = codes[k] / maxCode;
    return out;
  }
  const hist = codeHistogram(codes, maxCode);
  const lut = new Float32Array(maxCode + 1);
  let cum = 0;
  for (let v = 0; v <= maxCode; v++) {
    cum += hist[v];
    lut[v] = cum / codes.length;
  }
  for (let k = 0; k < codes.length; k++) out[k] = lut[codes[k]];
  return out;
}
