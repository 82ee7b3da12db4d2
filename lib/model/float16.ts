/**
 * float32 ⇄ IEEE 754 half precision, as tfjs stores weights quantised to `float16` (a weights manifest entry
 * with `quantization: { dtype: "float16" }` and two bytes per value, which tfjs's loader widens back to float32).
 * A shipped model in float16 is half the size; {@link toFloat16} rounds to nearest, ties to even, as IEEE does.
 *
 * @example
 * ```ts
 * const half = toFloat16(new Float32Array([1, 0.1, -65504]));
 * fromFloat16(half); // Float32Array [1, 0.0999755859375, -65504]
 * ```
 * @module
 */

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);

/** Each value rounded to the nearest half-precision number (overflow to ±Infinity, NaN kept). */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0], sign = (x >>> 16) & 0x8000, exp = (x >>> 23) & 0xff, mant = x & 0x7fffff;
    if (exp === 0xff) { // Infinity or NaN
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00; // too large: Infinity
    } else if (e <= 0) { // subnormal half (or zero)
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const m = mant | 0x800000, shift = 14 - e;
      let h = m >>> shift;
      const rest = m & ((1 << shift) - 1), half = 1 << (shift - 1);
      if (rest > half || (rest === half && (h & 1))) h++;
      out[i] = sign | h;
    } else {
      let h = (e << 10) | (mant >>> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // may carry into the exponent: still right
      out[i] = sign | h;
    }
  }
  return out;
}

/** Half-precision bits back to float32 (exact). */
export function fromFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i], sign = h & 0x8000 ? -1 : 1, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
    out[i] = e === 0
      ? sign * m * 2 ** -24
      : e === 0x1f
      ? (m ? NaN : sign * Infinity)
      : sign * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}
