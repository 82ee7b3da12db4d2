import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-layers"; // registers the gradients the penalty needs
import { classWeightVector, correctCount, decayedWeights, l2Penalty, weightedCrossEntropy } from "./loss.ts";

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

Deno.test("label smoothing ε puts (1 − ε) + ε/k on the true class and ε/k on the others", () => {
  const pred = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), labels = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
  const eps = 0.3, k = 3, ones = tf.tensor1d([1, 1, 1]);
  const got = weightedCrossEntropy(pred, labels, ones, eps).dataSync()[0];
  const row = (p: number[], y: number) =>
    -p.reduce((s, q, c) => s + ((c === y ? 1 - eps : 0) + eps / k) * Math.log(q), 0);
  assert.ok(Math.abs(got - (row([0.7, 0.2, 0.1], 0) + row([0.1, 0.3, 0.6], 1)) / 2) < 1e-6, `${got}`);
  tf.dispose([pred, labels, ones]);
});

Deno.test("the L2 penalty is ½·wd·Σ‖W‖² over kernels only, with gradient wd·W", () => {
  const kernel = tf.variable(tf.tensor2d([[1, -2], [3, 0]])), bias = tf.variable(tf.tensor1d([5, 5]));
  const decayed = decayedWeights([kernel, bias]);
  assert.deepEqual(decayed, [kernel], "rank-1 biases and BatchNorm parameters are not decayed");
  assert.ok(Math.abs(l2Penalty(decayed, 0.1).dataSync()[0] - 0.05 * 14) < 1e-6);
  assert.equal(l2Penalty(decayed, 0).dataSync()[0], 0);
  const { grads } = tf.variableGrads(() => l2Penalty(decayed, 0.1), [kernel]);
  assert.deepEqual(Array.from(grads[kernel.name].dataSync()).map((g) => +g.toFixed(6)), [0.1, -0.2, 0.3, 0]);
  tf.dispose([kernel, bias, grads[kernel.name]]);
});
