import assert from "node:assert/strict";
import { accuracy, confusionMatrix, evalReport, macroF1, meanStd } from "./metrics.ts";

// Reference values worked out by hand: columns a,b,c hold 3,3,4 predictions; rows 3,3,4 samples.
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2, 2, 1];
const yPred = [0, 1, 0, 1, 2, 2, 2, 0, 2, 1];

Deno.test("confusion matrix counts true rows × predicted columns", () => {
  assert.deepEqual(confusionMatrix(yTrue, yPred, 3), [[2, 1, 0], [0, 2, 1], [1, 0, 3]]);
});

Deno.test("accuracy, per-class P/R/F1 and macro-F1 match hand-computed values", () => {
  const r = evalReport({ yTrue, yPred, labels: ["a", "b", "c"], split: "test" });
  assert.equal(r.accuracy, 0.7);
  assert.ok(Math.abs(r.perClass.a.precision - 2 / 3) < 1e-12);
  assert.ok(Math.abs(r.perClass.b.recall - 2 / 3) < 1e-12);
  assert.ok(Math.abs(r.perClass.c.f1 - 0.75) < 1e-12);
  assert.equal(r.perClass.c.support, 4);
  // (2/3 + 2/3 + 3/4) / 3
  assert.ok(Math.abs(r.macroF1 - 0.6944444444444443) < 1e-12);
});

Deno.test("a class never predicted has precision 0, not NaN", () => {
  const m = confusionMatrix([0, 1, 1], [0, 0, 0], 2);
  // class 0: P = 1/3, R = 1, F1 = 0.5; class 1: never predicted, F1 = 0
  assert.equal(macroF1(m), 0.25);
  assert.equal(accuracy([0, 1, 1], [0, 0, 0]), 1 / 3);
});

Deno.test("labels out of range and length mismatch are clear errors", () => {
  assert.throws(() => confusionMatrix([0, 3], [0, 0], 3), /outside 0..2/);
  assert.throws(() => confusionMatrix([0], [0, 1], 3), /1 true labels but 2 predictions/);
});

Deno.test("meanStd uses the sample standard deviation", () => {
  const { mean, std } = meanStd([0.8, 0.9, 1.0]);
  assert.ok(Math.abs(mean - 0.9) < 1e-12);
  assert.ok(Math.abs(std - 0.1) < 1e-12);
});
