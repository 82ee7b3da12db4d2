import assert from "node:assert/strict";
import { binomialSe, faceCount } from "./noise.ts";

Deno.test("binomialSe is √(p(1−p)/n) in points: ≈ 0.83 at 55.84% on 3,589 faces, 0 at 0 or 1, and refuses nonsense", () => {
  assert.equal(binomialSe(0.5, 100), 5);
  assert.equal(Math.round(binomialSe(0.5584, 3589) * 1000) / 1000, 0.829);
  assert.equal(binomialSe(1, 3589), 0);
  assert.equal(binomialSe(0, 10), 0);
  assert.ok(binomialSe(0.6, 3589) < binomialSe(0.6, 1000), "more faces, less noise");
  assert.throws(() => binomialSe(55.84, 3589), /accuracy must lie in \[0, 1\].*55\.84, 3589/);
  assert.throws(() => binomialSe(0.5, 0), /positive integer/);
  assert.throws(() => binomialSe(0.5, 10.5), /positive integer/);
});

Deno.test("faceCount sums the confusion matrix; a report without one has no count", () => {
  assert.equal(faceCount({ confusion: [[5, 1], [2, 7]] }), 15);
  assert.equal(faceCount({ confusion: [] }), null);
  assert.equal(faceCount({ confusion: [[0, 0], [0, 0]] }), null);
  assert.equal(faceCount({}), null);
  assert.equal(faceCount(undefined), null);
});
