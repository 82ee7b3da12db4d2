/**
 * The training loss: class-weighted cross-entropy of the softmax outputs, and the per-class weights
 * it uses. A new loss (label smoothing, focal) is a new function beside this one.
 *
 * @example
 * ```ts
 * const cw = tf.tensor1d(classWeightVector("balanced", trainLabels, 7));
 * const loss = weightedCrossEntropy(pred, oneHot, cw); // scalar: Σ_i w_{y_i}·CE_i / n
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TrainConfig } from "./config.ts";

/** Per-class loss weights for the labels of the training set (all 1 for "none"). */
export function classWeightVector(spec: TrainConfig["classWeights"], labels: ArrayLike<number>, k: number): number[] {
  if (Array.isArray(spec)) {
    if (spec.length !== k) throw new Error(`classWeights has ${spec.length} entries, the dataset has ${k} classes`);
    return [...spec];
  }
  if (spec === "none") return new Array(k).fill(1);
  const counts = new Array(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((c) => (c ? labels.length / (k * c) : 0));
}

/**
 * Cross-entropy of softmax outputs `pred` `[n, k]` (clipped to [1e-7, 1 − 1e-7]) against one-hot
 * `labels`, each sample weighted by its class's weight, summed and divided by n.
 */
export function weightedCrossEntropy(pred: tf.Tensor2D, labels: tf.Tensor2D, classWeights: tf.Tensor1D): tf.Scalar {
  const ce = tf.neg(tf.sum(tf.mul(labels, tf.log(tf.clipByValue(pred, 1e-7, 1 - 1e-7))), 1));
  const w = tf.sum(tf.mul(labels, classWeights), 1);
  return tf.div(tf.sum(tf.mul(ce, w)), pred.shape[0]) as tf.Scalar;
}

/** Number of rows whose arg-max matches the one-hot label, as a float scalar. */
export function correctCount(pred: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(labels, 1)), "float32"));
}
