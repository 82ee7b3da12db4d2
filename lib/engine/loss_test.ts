import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { classWeightVector, correctCount, weightedCrossEntropy } from "./loss.ts";

await tf.setBackend("cpu");

Deno.test("balanced class weights are n / (k · count)", () => {
  assert.deepEqual(classWeightVector("balanced", [0, 0, 0, 1], 2), [4 / 6, 2]);
  assert.deepEqual(classWeightVector("none", [0, 1], 2), [1, 1]);
  assert.throws(() => classWeightVector([1], [0, 1], 2), /1 entries, the dataset has 2/);
});

Deno.test("weighted cross-entropy is Σ w_y · −log p_y / n, and the correct count is the arg-max hits", () => {
  const pred = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), labels = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
  const w = tf.tensor1d([1, 3, 1]);
  const loss = weightedCrossEntropy(pred, labels, w).dataSync()[0];
  assert.ok(Math.abs(loss - (-Math.log(0.7) - 3 * Math.log(0.3)) / 2) < 1e-6, `${loss}`);
  assert.equal(correctCount(pred, labels).dataSync()[0], 1);
  tf.dispose([pred, labels, w]);
});
