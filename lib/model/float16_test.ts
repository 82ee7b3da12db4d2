import assert from "node:assert/strict";
import { fromFloat16, toFloat16 } from "./float16.ts";

Deno.test("toFloat16 rounds to the nearest half, ties to even, and keeps the specials", () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff], // largest half
    [65520, 0x7c00], // rounds up to Infinity
    [1e6, 0x7c00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -26, 0x0000], // below half of it: zero
    [1 + 2 ** -11, 0x3c00], // a tie between 1 and 1 + 2^-10: to even (1)
    [1 + 3 * 2 ** -11, 0x3c02], // a tie between 1 + 2^-10 and 1 + 2^-9: to even
    [0.1, 0x2e66],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
  ];
  const bits = toFloat16(new Float32Array(cases.map(([x]) => x)));
  assert.deepEqual([...bits].map((b) => b.toString(16)), cases.map(([, b]) => b.toString(16)));
  assert.ok(Number.isNaN(fromFloat16(toFloat16(new Float32Array([NaN])))[0]));
});

Deno.test("float16 round trip: every half survives exactly, and float32 values within half a unit", () => {
  const all = new Uint16Array(0x10000).map((_, i) => i);
  const finite = [...all].filter((h) => ((h >>> 10) & 0x1f) !== 0x1f);
  const back = toFloat16(fromFloat16(new Uint16Array(finite)));
  assert.deepEqual([...back], finite);
  const xs = new Float32Array(1000).map((_, i) => Math.sin(i) * 3);
  const ys = fromFloat16(toFloat16(xs));
  for (let i = 0; i < xs.length; i++) {
    assert.ok(Math.abs(xs[i] - ys[i]) <= Math.abs(xs[i]) * 2 ** -11 + 2 ** -25, `${xs[i]} → ${ys[i]}`);
  }
});
