/**
 * Local binary patterns (paper Section 3.3, Eq. 1–4), bit-exact with scikit-image 0.19.
 *
 * | here (paper)        | scikit-image `local_binary_pattern` method | codes            |
 * |---------------------|--------------------------------------------|------------------|
 * | `original` (Eq. 1–2)| — (no twin, see below)                     | 0 … 255          |
 * | `circle` (Eq. 3)    | `default`                                  | 0 … 2^P − 1      |
 * | `uniform`           | `nri_uniform`                              | 0 … P(P−1)+2     |
 * | `riu2` (Eq. 4)      | `uniform`                                  | 0 … P+1          |
 * | `ror`               | `ror`                                      | 0 … 2^P − 1      |
 *
 * Circular sampling (as scikit-image): sample i of P sits at row offset −R·sin(2πi/P) and column
 * offset R·cos(2πi/P), both rounded to 5 decimals; i = 0 is east and i grows counter-clockwise (up
 * first). Each sample is bilinearly interpolated from its 4 surrounding pixels with the same
 * floating-point expression scikit-image uses, pixels outside the image count as 0, and bit i is set
 * when sample ≥ centre. Bit i has weight 2^i.
 *
 * `original` reads the 8 exact neighbours of the 3×3 window, no interpolation, in the same order
 * and with the same border rule: bit 0 = east (r, c+1), bit 1 = north-east (r−1, c+1), bit 2 = north,
 * bit 3 = north-west, bit 4 = west, bit 5 = south-west, bit 6 = south, bit 7 = south-east; a bit is 1
 * when neighbour ≥ centre (Eq. 2); neighbours outside the image are 0 (so they set their bit only
 * when the centre is 0). It equals `circle` with P=8, R=1 except that the diagonal samples are the
 * corner pixels instead of interpolated points at distance 1.
 *
 * Codes are a `Uint16Array` (P ≤ 16). Per-shape plans (sample rows/columns, fractions, scratch
 * buffers) and per-method lookup tables (raw pattern → code) are cached, so the pixel loops
 * allocate nothing; they run sample by sample over whole rows, branch-free.
 *
 * @example
 * ```ts
 * const { codes } = lbp(img, { method: "riu2", points: 8, radius: 1 }); // values 0..9
 * ```
 * @module
 */
import { checkGray, type GrayImage } from "./gray.ts";

/** The LBP variants; see the module table for their scikit-image names. */
export type LbpMethod = "original" | "circle" | "uniform" | "riu2" | "ror";

/** All methods, in the order used by CLI help and notebooks. */
export const LBP_METHODS: readonly LbpMethod[] = ["original", "circle", "uniform", "riu2", "ror"];

/** Options of {@link lbp}: `points` P (default 8, 1…16) and `radius` R (default 1); `original` accepts only 8 and 1. */
export interface LbpOptions {
  method: LbpMethod;
  points?: number;
  radius?: number;
}

/** A code image of the same size as the input, row-major. */
export interface LbpImage {
  width: number;
  height: number;
  codes: Uint16Array;
}

/** Largest code a method can produce for P points (the number of bins minus one). */
export function lbpMaxCode(opts: LbpOptions): number {
  const { method, points } = resolve(opts);
  switch (method) {
    case "original":
      return 255;
    case "circle":
    case "ror":
      return 2 ** points - 1;
    case "uniform":
      return points * (points - 1) + 2;
    case "riu2":
      return points + 1;
  }
}

/**
 * Computes the LBP code image.
 *
 * @example
 * ```ts
 * const out = lbp({ width: 3, height: 1, data: new Uint8Array([5, 9, 1]) }, { method: "circle" });
 * ```
 */
export function lbp(img: GrayImage, opts: LbpOptions): LbpImage {
  checkGray(img);
  const { method, points, radius } = resolve(opts);
  const plan = method === "original"
    ? originalPlan(img.width, img.height)
    : circlePlan(points, radius, img.width, img.height);
  const lut = method === "original" || method === "circle" ? null : lookupTable(method, points);
  const codes = new Uint16Array(img.width * img.height);
  run(img.data, plan, lut, codes);
  return { width: img.width, height: img.height, codes };
}

function resolve(opts: LbpOptions): { method: LbpMethod; points: number; radius: number } {
  const { method } = opts;
  if (!LBP_METHODS.includes(method)) {
    throw new Error(`unknown LBP method "${method}", expected one of ${LBP_METHODS.join(", ")}`);
  }
  const points = opts.points ?? 8;
  const radius = opts.radius ?? 1;
  if (!Number.isInteger(points) || points < 1 || points > 16) {
    throw new Error(`LBP points must be an integer in 1..16, got ${points}`);
  }
  if (!(radius > 0) || !Number.isFinite(radius)) throw new Error(`LBP radius must be a positive number, got ${radius}`);
  if (method === "original" && (points !== 8 || radius !== 1)) {
    throw new Error(
      `LBP method "original" is the fixed 3x3 operator (points 8, radius 1), got P=${points} R=${radius}`,
    );
  }
  return { method, points, radius };
}

/**
 * Sampling geometry for one (P, R, width, height), computed exactly as scikit-image does
 * (`k + offset`, `floor`, `ceil`, `x - floor(x)`), so interpolation is bit-equal.
 *
 * The image is copied into a zero-padded buffer (padding = outside pixels are 0, scikit-image's
 * `cval`), so no pixel needs bounds checks. Bilinear interpolation is split: scikit-image's
 * `top = (1-dc)·tl + dc·tr` depends only on the column offset, so it is computed once per distinct
 * column offset as a horizontally interpolated image `h` shared by all samples with that offset;
 * each sample then costs `(1-dr)·top + dr·bottom`. With dc = 0 (or dr = 0) the skipped expression
 * equals its input exactly, so the result is the same double scikit-image computes.
 */
interface Plan {
  P: number;
  width: number;
  height: number;
  pad: number;
  /** Padded width (width + 2·pad); padded height is height + 2·pad. */
  pw: number;
  /** Per sample: floor/ceil of the sample row for output row r (padded coordinates) at `r * P + i`, and fraction. */
  rowLo: Int32Array;
  rowHi: Int32Array;
  rowFrac: Float64Array;
  /** Per sample: index into `hcols` of its column offset, or -1 when that offset is an integer. */
  hIndex: Int8Array;
  /** Per sample with an integer column offset: that offset. */
  colInt: Int32Array;
  /** Distinct non-integer column offsets: per output column floor/ceil (padded) and fraction. */
  hcols: { lo: Int32Array; hi: Int32Array; frac: Float64Array }[];
  /** Scratch: the padded image and one horizontally interpolated image (padded rows × width) per distinct column offset. */
  padded: Uint8Array;
  h: Float64Array[];
}

const planCache = new Map<string, Plan>();

/** Round half to even, like numpy's `rint`. */
function rint(y: number): number {
  const f = Math.floor(y);
  const d = y - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** numpy's `np.round(x, 5)`: `rint(x * 1e5) / 1e5`. */
function round5(x: number): number {
  return rint(x * 1e5) / 1e5;
}

/** The sample offsets (row, column) of scikit-image's circular neighbourhood, sample 0 first. */
export function sampleOffsets(points: number, radius: number): { rows: Float64Array; cols: Float64Array } {
  const rows = new Float64Array(points);
  const cols = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const a = (2 * Math.PI * i) / points;
    rows[i] = round5(-radius * Math.sin(a));
    cols[i] = round5(radius * Math.cos(a));
  }
  return { rows, cols };
}

function circlePlan(P: number, R: number, width: number, height: number): Plan {
  const key = `c:${P}:${R}:${width}:${height}`;
  const cached = planCache.get(key);
  if (cached) return cached;
  const { rows, cols } = sampleOffsets(P, R);
  const plan = buildPlan(P, width, height, rows, cols);
  planCache.set(key, plan);
  return plan;
}

/** Offsets of the 3x3 neighbours in bit order E, NE, N, NW, W, SW, S, SE. */
const ORIGINAL_ROWS = new Float64Array([0, -1, -1, -1, 0, 1, 1, 1]);
const ORIGINAL_COLS = new Float64Array([1, 1, 0, -1, -1, -1, 0, 1]);

function originalPlan(width: number, height: number): Plan {
  const key = `o:${width}:${height}`;
  const cached = planCache.get(key);
  if (cached) return cached;
  const plan = buildPlan(8, width, height, ORIGINAL_ROWS, ORIGINAL_COLS);
  planCache.set(key, plan);
  return plan;
}

function buildPlan(P: number, width: number, height: number, rows: Float64Array, cols: Float64Array): Plan {
  let reach = 0;
  for (let i = 0; i < P; i++) reach = Math.max(reach, Math.abs(rows[i]), Math.abs(cols[i]));
  const pad = Math.ceil(reach) + 1;
  const pw = width + 2 * pad;
  const ph = height + 2 * pad;
  const rowLo = new Int32Array(height * P);
  const rowHi = new Int32Array(height * P);
  const rowFrac = new Float64Array(height * P);
  for (let r = 0; r < height; r++) {
    for (let i = 0; i < P; i++) {
      const x = r + rows[i];
      const f = Math.floor(x);
      rowLo[r * P + i] = f + pad;
      rowHi[r * P + i] = Math.ceil(x) + pad;
      rowFrac[r * P + i] = x - f;
    }
  }
  const hIndex = new Int8Array(P).fill(-1);
  const colInt = new Int32Array(P);
  const distinct: number[] = [];
  const hcols: Plan["hcols"] = [];
  for (let i = 0; i < P; i++) {
    if (Number.isInteger(cols[i])) {
      colInt[i] = cols[i];
      continue;
    }
    let k = distinct.indexOf(cols[i]);
    if (k < 0) {
      k = distinct.push(cols[i]) - 1;
      const lo = new Int32Array(width), hi = new Int32Array(width), frac = new Float64Array(width);
      for (let c = 0; c < width; c++) {
        const x = c + cols[i];
        const f = Math.floor(x);
        lo[c] = f + pad;
        hi[c] = Math.ceil(x) + pad;
        frac[c] = x - f;
      }
      hcols.push({ lo, hi, frac });
    }
    hIndex[i] = k;
  }
  return {
    P,
    width,
    height,
    pad,
    pw,
    rowLo,
    rowHi,
    rowFrac,
    hIndex,
    colInt,
    hcols,
    padded: new Uint8Array(pw * ph),
    h: hcols.map(() => new Float64Array(ph * width)),
  };
}

/** Fills `out` with raw P-bit patterns, then maps them through `lut` when given. */
function run(src: Uint8Array, p: Plan, lut: Uint16Array | null, out: Uint16Array): void {
  const { P, width: W, height: H, pad, pw, padded } = p;
  for (let r = 0; r < H; r++) padded.set(src.subarray(r * W, r * W + W), (r + pad) * pw + pad);
  const ph = H + 2 * pad;
  for (let k = 0; k < p.hcols.length; k++) horizontal(padded, pw, ph, W, p.hcols[k], p.h[k]);
  for (let i = 0; i < P; i++) {
    const k = p.hIndex[i];
    if (k < 0) sampleOnColumn(src, p, i, out);
    else sampleFromH(src, p, i, p.h[k], out);
  }
  if (lut !== null) { for (let j = 0; j < out.length; j++) out[j] = lut[out[j]]; }
}

/** `h[y][c] = (1-dc)·img[y][lo] + dc·img[y][hi]` for every padded row y and output column c. */
function horizontal(
  img: Uint8Array,
  pw: number,
  ph: number,
  W: number,
  cols: { lo: Int32Array; hi: Int32Array; frac: Float64Array },
  h: Float64Array,
): void {
  const { lo, hi, frac } = cols;
  for (let y = 0; y < ph; y++) {
    const base = y * pw;
    const hb = y * W;
    for (let c = 0; c < W; c++) {
      const dc = frac[c];
      h[hb + c] = (1 - dc) * img[base + lo[c]] + dc * img[base + hi[c]];
    }
  }
}

/**
 * 1 when `v >= centre`, without a branch: v is a convex combination of pixels, so v >= 0 and
 * truncation is floor, and for an integer centre floor(v) >= centre exactly when v >= centre.
 */
function ge(v: number, centre: number): number {
  return (((v | 0) - centre) >>> 31) ^ 1;
}

/** Sample i whose column offset is an integer: interpolate (if needed) along the column only. */
function sampleOnColumn(src: Uint8Array, p: Plan, i: number, out: Uint16Array): void {
  const { P, width: W, height: H, pad, pw, padded, rowLo, rowHi, rowFrac } = p;
  const colOff = p.colInt[i] + pad;
  for (let r = 0; r < H; r++) {
    const dr = rowFrac[r * P + i];
    const top = rowLo[r * P + i] * pw + colOff;
    const o = r * W;
    if (dr === 0) {
      for (let c = 0; c < W; c++) out[o + c] |= (((padded[top + c] - src[o + c]) >>> 31) ^ 1) << i;
    } else {
      const bottom = rowHi[r * P + i] * pw + colOff;
      const odr = 1 - dr;
      for (let c = 0; c < W; c++) {
        out[o + c] |= ge(odr * padded[top + c] + dr * padded[bottom + c], src[o + c]) << i;
      }
    }
  }
}

/** Sample i with a fractional column offset: combine two rows of its horizontally interpolated image. */
function sampleFromH(src: Uint8Array, p: Plan, i: number, h: Float64Array, out: Uint16Array): void {
  const { P, width: W, height: H, rowLo, rowHi, rowFrac } = p;
  for (let r = 0; r < H; r++) {
    const dr = rowFrac[r * P + i];
    const top = rowLo[r * P + i] * W;
    const o = r * W;
    if (dr === 0) {
      for (let c = 0; c < W; c++) out[o + c] |= ge(h[top + c], src[o + c]) << i;
    } else {
      const bottom = rowHi[r * P + i] * W;
      const odr = 1 - dr;
      for (let c = 0; c < W; c++) {
        out[o + c] |= ge(odr * h[top + c] + dr * h[bottom + c], src[o + c]) << i;
      }
    }
  }
}

const lutCache = new Map<string, Uint16Array>();

/** Maps a raw P-bit pattern to the code of `method`, following scikit-image's `_local_binary_pattern`. */
function lookupTable(method: Exclude<LbpMethod, "original" | "circle">, P: number): Uint16Array {
  const key = `${method}:${P}`;
  const cached = lutCache.get(key);
  if (cached) return cached;
  const lut = new Uint16Array(2 ** P);
  for (let pattern = 0; pattern < lut.length; pattern++) lut[pattern] = mapPattern(method, P, pattern);
  lutCache.set(key, lut);
  return lut;
}

function mapPattern(method: "uniform" | "riu2" | "ror", P: number, pattern: number): number {
  const bit = (i: number) => (pattern >> i) & 1;
  if (method === "ror") {
    let v = pattern;
    let best = v;
    for (let i = 1; i < P; i++) {
      v = (v >> 1) | ((v & 1) << (P - 1));
      best = Math.min(best, v);
    }
    return best;
  }
  let changes = 0;
  for (let i = 0; i < P - 1; i++) changes += bit(i) !== bit(i + 1) ? 1 : 0;
  let ones = 0;
  for (let i = 0; i < P; i++) ones += bit(i);
  if (method === "riu2") return changes <= 2 ? ones : P + 1;
  // nri_uniform: constant patterns, then each (ones, rotation) pair, then one bin for the rest.
  if (changes > 2) return P * (P - 1) + 2;
  if (ones === 0) return 0;
  if (ones === P) return P * (P - 1) + 1;
  let firstOne = -1;
  let firstZero = -1;
  for (let i = 0; i < P; i++) {
    if (bit(i)) {
      if (firstOne === -1) firstOne = i;
    } else if (firstZero === -1) firstZero = i;
  }
  const rot = firstOne === 0 ? ones - firstZero : P - firstOne;
  return 1 + (ones - 1) * P + rot;
}
