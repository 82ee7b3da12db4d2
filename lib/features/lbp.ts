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
 * Codes are a `Uint16Array` (P ≤ 16). Precomputed per-shape plans (sample offsets, interpolation
 * weights) and per-method lookup tables are cached, so the per-pixel loop allocates nothing.
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

/** Options of {@link lbp}. `points` (P, default 8, 1…16) and `radius` (R, default 1) are ignored by nothing: `original` requires 8 and 1. */
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
 * Sampling geometry for one (P, R, width, height): for every row (column) and sample, the floor
 * and ceil pixel row (column) of the sample and its fractional part, computed exactly as
 * scikit-image does (`r + rp[i]`, `floor`, `ceil`, `r - floor(r)`), so interpolation is bit-equal.
 */
interface Plan {
  P: number;
  width: number;
  height: number;
  rowLo: Int32Array;
  rowHi: Int32Array;
  rowFrac: Float64Array;
  colLo: Int32Array;
  colHi: Int32Array;
  colFrac: Float64Array;
  /** 1 for rows (columns) whose samples all fall inside the image at the constant offsets. */
  rowInside: Uint8Array;
  colInside: Uint8Array;
  /** Index offsets of the four corners of sample i, valid for interior pixels. */
  offTL: Int32Array;
  offTR: Int32Array;
  offBL: Int32Array;
  offBR: Int32Array;
  /** 1 when sample i lies exactly on a pixel (no interpolation needed). */
  onGrid: Uint8Array;
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

function axis(n: number, P: number, offsets: Float64Array) {
  const lo = new Int32Array(n * P);
  const hi = new Int32Array(n * P);
  const frac = new Float64Array(n * P);
  const inside = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    let ok = 1;
    for (let i = 0; i < P; i++) {
      const x = k + offsets[i];
      const f = Math.floor(x);
      const c = Math.ceil(x);
      lo[k * P + i] = f;
      hi[k * P + i] = c;
      frac[k * P + i] = x - f;
      // The fast path uses constant offsets: valid only where floor/ceil shift with k.
      if (f < 0 || c >= n || f !== k + Math.floor(offsets[i]) || c !== k + Math.ceil(offsets[i])) ok = 0;
    }
    inside[k] = ok;
  }
  return { lo, hi, frac, inside };
}

function buildPlan(P: number, width: number, height: number, rows: Float64Array, cols: Float64Array): Plan {
  const ra = axis(height, P, rows);
  const ca = axis(width, P, cols);
  const offTL = new Int32Array(P);
  const offTR = new Int32Array(P);
  const offBL = new Int32Array(P);
  const offBR = new Int32Array(P);
  const onGrid = new Uint8Array(P);
  for (let i = 0; i < P; i++) {
    const rl = Math.floor(rows[i]);
    const rh = Math.ceil(rows[i]);
    const cl = Math.floor(cols[i]);
    const ch = Math.ceil(cols[i]);
    offTL[i] = rl * width + cl;
    offTR[i] = rl * width + ch;
    offBL[i] = rh * width + cl;
    offBR[i] = rh * width + ch;
    onGrid[i] = rl === rh && cl === ch ? 1 : 0;
  }
  return {
    P,
    width,
    height,
    rowLo: ra.lo,
    rowHi: ra.hi,
    rowFrac: ra.frac,
    colLo: ca.lo,
    colHi: ca.hi,
    colFrac: ca.frac,
    rowInside: ra.inside,
    colInside: ca.inside,
    offTL,
    offTR,
    offBL,
    offBR,
    onGrid,
  };
}

/** The pattern loop: fast path for interior pixels, bounds-checked path for the border. */
function run(src: Uint8Array, p: Plan, lut: Uint16Array | null, out: Uint16Array): void {
  const { P, width: W, height: H, rowLo, rowHi, rowFrac, colLo, colHi, colFrac, rowInside, colInside } = p;
  const { offTL, offTR, offBL, offBR, onGrid } = p;
  for (let r = 0; r < H; r++) {
    const rowIn = rowInside[r] === 1;
    const rp = r * P;
    for (let c = 0; c < W; c++) {
      const idx = r * W + c;
      const center = src[idx];
      const cp = c * P;
      let code = 0;
      if (rowIn && colInside[c] === 1) {
        for (let i = 0; i < P; i++) {
          let v: number;
          if (onGrid[i] === 1) {
            v = src[idx + offTL[i]];
          } else {
            const dr = rowFrac[rp + i];
            const dc = colFrac[cp + i];
            const top = (1 - dc) * src[idx + offTL[i]] + dc * src[idx + offTR[i]];
            const bottom = (1 - dc) * src[idx + offBL[i]] + dc * src[idx + offBR[i]];
            v = (1 - dr) * top + dr * bottom;
          }
          if (v >= center) code |= 1 << i;
        }
      } else {
        for (let i = 0; i < P; i++) {
          const rl = rowLo[rp + i], rh = rowHi[rp + i], cl = colLo[cp + i], ch = colHi[cp + i];
          const dr = rowFrac[rp + i];
          const dc = colFrac[cp + i];
          const tl = pixel(src, W, H, rl, cl);
          const tr = pixel(src, W, H, rl, ch);
          const bl = pixel(src, W, H, rh, cl);
          const br = pixel(src, W, H, rh, ch);
          const top = (1 - dc) * tl + dc * tr;
          const bottom = (1 - dc) * bl + dc * br;
          if ((1 - dr) * top + dr * bottom >= center) code |= 1 << i;
        }
      }
      out[idx] = lut === null ? code : lut[code];
    }
  }
}

function pixel(src: Uint8Array, W: number, H: number, r: number, c: number): number {
  return r < 0 || r >= H || c < 0 || c >= W ? 0 : src[r * W + c];
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
