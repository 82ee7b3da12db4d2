/**
 * Keras `ImageDataGenerator` augmentation (paper Section 3.4), seeded, one affine matrix per image.
 *
 * Semantics follow keras-preprocessing 1.1 (`get_random_transform`, `apply_affine_transform`,
 * `transform_matrix_offset_center`, then `flip_axis`):
 * - rotation θ ~ U(−rotationRange, rotationRange) degrees;
 * - shifts ~ U(−range, range), times the image height/width when range < 1 (a fraction), else pixels;
 * - shear ~ U(−shearRange, shearRange) **degrees** (Keras: "shear angle in degrees"; so the paper's
 *   `shear_range=0.15` is a tiny ±0.15°);
 * - zoom: two independent factors ~ U(1 − z, 1 + z) (rows, columns); values > 1 shrink the content;
 * - horizontal flip with probability 1/2, applied after the affine warp (folded into the matrix here);
 * - `fill: "nearest"` repeats edge pixels, bilinear interpolation (Keras order=1).
 * Keras composes, in (row, column) coordinates, `M = C · R · T · S · Z · C⁻¹` with centre
 * C = (h/2 + 0.5, w/2 + 0.5) and maps every output pixel through M to the input position it reads.
 *
 * An {@link Affine} here is that output→input map in (x = column, y = row) coordinates:
 * `srcX = a·x + b·y + c`, `srcY = d·x + e·y + f`. Apply the same matrix to a mask with
 * `interpolation: "nearest"` to keep it aligned with its image.
 *
 * @example
 * ```ts
 * const rng = new Rng(7);
 * const m = randomTransform(rng, PAPER_AUGMENT, { width: 48, height: 48 });
 * const face2 = applyAffine(face, m);
 * const mask2 = applyAffine(mask, m, { interpolation: "nearest" });
 * ```
 * @module
 */
import type { Rng } from "../util/rng.ts";
import { checkGray, type GrayImage } from "./gray.ts";

/** `[a, b, c, d, e, f]`: output pixel (x, y) reads input (a·x + b·y + c, d·x + e·y + f). */
export type Affine = readonly [number, number, number, number, number, number];

/** The identity {@link Affine}. */
export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** Ranges of the random transform, named after Keras' `ImageDataGenerator` arguments. */
export interface AugmentParams {
  /** Degrees, θ ~ U(−r, r). */
  rotationRange: number;
  /** Fraction of the width (< 1) or pixels (≥ 1). */
  widthShiftRange: number;
  /** Fraction of the height (< 1) or pixels (≥ 1). */
  heightShiftRange: number;
  /** Degrees (Keras semantics). */
  shearRange: number;
  /** z gives zoom factors in [1 − z, 1 + z]; a pair gives [lo, hi]. */
  zoomRange: number | readonly [number, number];
  horizontalFlip: boolean;
  verticalFlip?: boolean;
}

/** The paper's setting: `ImageDataGenerator(rotation_range=20, width/height_shift_range=0.15, shear_range=0.15, zoom_range=0.15, horizontal_flip=True, fill_mode='nearest')`. */
export const PAPER_AUGMENT: AugmentParams = {
  rotationRange: 20,
  widthShiftRange: 0.15,
  heightShiftRange: 0.15,
  shearRange: 0.15,
  zoomRange: 0.15,
  horizontalFlip: true,
};

/** One drawn transform, in Keras' terms (tx = row shift in pixels, ty = column shift, zx rows, zy columns). */
export interface TransformParams {
  theta: number;
  tx: number;
  ty: number;
  shear: number;
  zx: number;
  zy: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
}

/** Image size. */
export interface Size {
  width: number;
  height: number;
}

function zoomBounds(z: AugmentParams["zoomRange"]): [number, number] {
  if (typeof z === "number") return [1 - z, 1 + z];
  if (z.length !== 2) throw new Error(`zoomRange must be a number or [lo, hi], got ${JSON.stringify(z)}`);
  return [z[0], z[1]];
}

/**
 * Draws one transform in Keras' order (θ, tx, ty, shear, zx, zy, flips); a zero range draws nothing.
 *
 * @example
 * ```ts
 * const t = randomTransformParams(new Rng(1), PAPER_AUGMENT, { width: 48, height: 48 });
 * ```
 */
export function randomTransformParams(rng: Rng, params: AugmentParams, size: Size): TransformParams {
  const shift = (range: number, n: number) => (range ? rng.uniform(-range, range) * (range < 1 ? n : 1) : 0);
  const theta = params.rotationRange ? rng.uniform(-params.rotationRange, params.rotationRange) : 0;
  const tx = shift(params.heightShiftRange, size.height);
  const ty = shift(params.widthShiftRange, size.width);
  const shear = params.shearRange ? rng.uniform(-params.shearRange, params.shearRange) : 0;
  const [lo, hi] = zoomBounds(params.zoomRange);
  let zx = 1, zy = 1;
  if (lo !== 1 || hi !== 1) {
    zx = rng.uniform(lo, hi);
    zy = rng.uniform(lo, hi);
  }
  const flipHorizontal = params.horizontalFlip ? rng.next() < 0.5 : false;
  const flipVertical = params.verticalFlip ? rng.next() < 0.5 : false;
  return { theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical };
}

type M3 = number[]; // row-major 3x3 in (row, column) coordinates

function mul(a: M3, b: M3): M3 {
  const out = new Array(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
  }
  return out;
}

/**
 * The output→input {@link Affine} of drawn parameters, built as keras-preprocessing does, with the
 * flips folded in.
 *
 * @example
 * ```ts
 * const m = affineFromParams({ theta: 90, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1, flipHorizontal: false, flipVertical: false }, { width: 48, height: 48 });
 * ```
 */
export function affineFromParams(t: TransformParams, size: Size): Affine {
  const parts: M3[] = [];
  if (t.theta !== 0) {
    const th = (t.theta * Math.PI) / 180;
    parts.push([Math.cos(th), -Math.sin(th), 0, Math.sin(th), Math.cos(th), 0, 0, 0, 1]);
  }
  if (t.tx !== 0 || t.ty !== 0) parts.push([1, 0, t.tx, 0, 1, t.ty, 0, 0, 1]);
  if (t.shear !== 0) {
    const sh = (t.shear * Math.PI) / 180;
    parts.push([1, -Math.sin(sh), 0, 0, Math.cos(sh), 0, 0, 0, 1]);
  }
  if (t.zx !== 1 || t.zy !== 1) parts.push([t.zx, 0, 0, 0, t.zy, 0, 0, 0, 1]);
  let m: M3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  if (parts.length > 0) {
    m = parts.reduce((acc, p) => mul(acc, p));
    const ox = size.height / 2 + 0.5;
    const oy = size.width / 2 + 0.5;
    m = mul(mul([1, 0, ox, 0, 1, oy, 0, 0, 1], m), [1, 0, -ox, 0, 1, -oy, 0, 0, 1]);
  }
  // Flips act on the warped output: output (r, c) shows warped (r, W-1-c) / (H-1-r, c).
  if (t.flipHorizontal) m = mul(m, [1, 0, 0, 0, -1, size.width - 1, 0, 0, 1]);
  if (t.flipVertical) m = mul(m, [-1, 0, size.height - 1, 0, 1, 0, 0, 0, 1]);
  // (row, col) → (x = col, y = row).
  return [m[4], m[3], m[5], m[1], m[0], m[2]];
}

/**
 * A random Keras-equivalent transform for one image, flips included.
 *
 * @example
 * ```ts
 * const m = randomTransform(new Rng(3), PAPER_AUGMENT, { width: 48, height: 48 });
 * ```
 */
export function randomTransform(rng: Rng, params: AugmentParams, size: Size): Affine {
  return affineFromParams(randomTransformParams(rng, params, size), size);
}

/**
 * Where output pixel (x, y) reads from in the input.
 *
 * @example
 * ```ts
 * const { x, y } = sourcePoint(m, { x: 10, y: 20 });
 * ```
 */
export function sourcePoint(m: Affine, p: { x: number; y: number }): { x: number; y: number } {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/**
 * Where input point (x, y) lands in the output (the inverse map), e.g. to move landmarks.
 *
 * @example
 * ```ts
 * const eye = targetPoint(m, { x: 15, y: 18 });
 * ```
 */
export function targetPoint(m: Affine, p: { x: number; y: number }): { x: number; y: number } {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error("affine matrix is singular");
  const u = p.x - c, v = p.y - f;
  return { x: (e * u - b * v) / det, y: (-d * u + a * v) / det };
}

/** Options of {@link applyAffine}. */
export interface ApplyOptions {
  /** Outside the input: repeat the edge (`nearest`, Keras default) or use `cval`. */
  fill?: "nearest" | "constant";
  /** Default 0. */
  cval?: number;
  /** `bilinear` (Keras order=1, images) or `nearest` (masks and labels). */
  interpolation?: "nearest" | "bilinear";
}

/**
 * Warps an image: every output pixel reads the input at the matrix position. Bilinear results are
 * rounded to the nearest integer (halves up).
 *
 * @example
 * ```ts
 * const out = applyAffine(img, m, { fill: "nearest", interpolation: "bilinear" });
 * ```
 */
export function applyAffine(img: GrayImage, m: Affine, opts: ApplyOptions = {}): GrayImage {
  checkGray(img);
  const fill = opts.fill ?? "nearest";
  const interpolation = opts.interpolation ?? "bilinear";
  if (fill !== "nearest" && fill !== "constant") throw new Error(`fill must be "nearest" or "constant", got "${fill}"`);
  if (interpolation !== "nearest" && interpolation !== "bilinear") {
    throw new Error(`interpolation must be "nearest" or "bilinear", got "${interpolation}"`);
  }
  const cval = opts.cval ?? 0;
  const { width: W, height: H, data } = img;
  const out = new Uint8Array(W * H);
  const [a, b, c, d, e, f] = m;
  const constant = fill === "constant";
  const eps = 1e-9;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      const k = y * W + x;
      if (interpolation === "nearest") {
        const xi = Math.round(sx), yi = Math.round(sy);
        const inside = xi >= 0 && xi < W && yi >= 0 && yi < H;
        out[k] = inside ? data[yi * W + xi] : constant ? cval : data[clamp(yi, H) * W + clamp(xi, W)];
        continue;
      }
      // scipy's 'constant' (what Keras calls): no interpolation beyond the outermost pixel centres.
      if (constant && (sx < -eps || sx > W - 1 + eps || sy < -eps || sy > H - 1 + eps)) {
        out[k] = cval;
        continue;
      }
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const xa = clamp(x0, W), xb = clamp(x0 + 1, W), ya = clamp(y0, H), yb = clamp(y0 + 1, H);
      const top = (1 - fx) * data[ya * W + xa] + fx * data[ya * W + xb];
      const bottom = (1 - fx) * data[yb * W + xa] + fx * data[yb * W + xb];
      out[k] = Math.min(255, Math.max(0, Math.round((1 - fy) * top + fy * bottom)));
    }
  }
  return { width: W, height: H, data: out };
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}
