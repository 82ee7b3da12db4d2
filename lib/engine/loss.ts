/**
 * The training loss: class-weighted cross-entropy of the softmax outputs (optionally against smoothed
 * targets), the per-class weights it uses, and coupled weight decay on the kernels (as SGD's `weight_decay` in
 * PyTorch: the gradient of ½·wd·Σ‖W‖², wd·W, added to each kernel's gradient). A new loss (focal) is a new
 * function beside these.
 *
 * @example
 * ```ts
 * const cw = tf.tensor1d(classWeightVector("balanced", trainLabels, 7));
 * const { value, grads } = tf.variableGrads(() => weightedCrossEntropy(pred(), oneHot, cw, 0.1), vars);
 * decayGradients(grads, decayedWeights(vars), 5e-4); // each kernel's gradient gains wd·W
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { addScaled, applyDecayedGradients, fusedCrossEntropy } from "../backend/mod.ts";
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
 * `labels` — or, with label smoothing ε > 0, against (1 − ε)·onehot + ε/k — each sample weighted by its
 * true class's weight, summed and divided by n. On torch one kernel call each way (fusedCrossEntropy).
 */
export function weightedCrossEntropy(
  pred: tf.Tensor2D,
  labels: tf.Tensor2D,
  classWeights: tf.Tensor1D,
  labelSmoothing = 0,
): tf.Scalar {
  const fused = fusedCrossEntropy(pred, labels, classWeights, labelSmoothing);
  if (fused) return fused;
  const k = labels.shape[1];
  const targets = labelSmoothing > 0 ? tf.add(tf.mul(labels, 1 - labelSmoothing), labelSmoothing / k) : labels;
  const ce = tf.neg(tf.sum(tf.mul(targets, tf.log(tf.clipByValue(pred, 1e-7, 1 - 1e-7))), 1));
  const w = tf.sum(tf.mul(labels, classWeights), 1);
  return tf.div(tf.sum(tf.mul(ce, w)), pred.shape[0]) as tf.Scalar;
}

/** The variables weight decay applies to: conv and dense kernels (rank ≥ 2), not biases or BatchNorm's γ/β. */
export function decayedWeights(vars: tf.Variable[]): tf.Variable[] {
  return vars.filter((v) => v.rank >= 2);
}

/**
 * Adds coupled weight decay to the gradients in `grads` (keyed by variable name, as `tf.variableGrads` returns
 * them), in place: the gradient of each of `vars` becomes g + wd·W, and the old one is disposed. Bit for bit what
 * ½·wd·Σ‖W‖² added to the loss gives (tfjs differentiates that penalty to (wd/2)·(2·W), the same float32 product),
 * without building the penalty's graph: on the main job's network that graph cost 12% of a training step.
 *
 * @example
 * ```ts
 * const { value, grads } = tf.variableGrads(loss, vars);
 * decayGradients(grads, decayedWeights(vars), 5e-4);
 * optimizer.applyGradients(grads);
 * ```
 */
export function decayGradients(grads: tf.NamedTensorMap, vars: tf.Variable[], wd: number): void {
  if (!(wd > 0)) return;
  const gs = vars.map((v) => {
    const g = grads[v.name];
    if (!g) throw new Error(`decayGradients: no gradient for ${v.name}`);
    return g;
  });
  addScaled(gs, vars, wd).forEach((d, k) => {
    grads[vars[k].name] = d;
    gs[k].dispose();
  });
}

/**
 * The optimiser's update from `grads` (keyed by variable name, as `tf.variableGrads` returns them) with coupled
 * weight decay wd on `vars`' kernels (decayedWeights): on torch folded into the optimiser's one fused call
 * (applyDecayedGradients), elsewhere decayGradients, then applyGradients in the order of `vars`. The caller disposes
 * `grads` after (those decayGradients replaced are already new tensors there).
 *
 * @example
 * ```ts
 * const { value, grads } = tf.variableGrads(loss, vars);
 * applyDecayedUpdate(optimizer, vars, grads, 5e-4);
 * tf.dispose([value, grads]);
 * ```
 */
export function applyDecayedUpdate(opt: tf.Optimizer, vars: tf.Variable[], grads: tf.NamedTensorMap, wd: number): void {
  const decayed = wd > 0 ? decayedWeights(vars) : [];
  for (const v of decayed) if (!grads[v.name]) throw new Error(`applyDecayedUpdate: no gradient for ${v.name}`);
  const decays = new Set(decayed);
  const list = () => vars.map((v) => ({ name: v.name, tensor: grads[v.name] }));
  if (wd > 0 && applyDecayedGradients(opt, list(), vars.map((v) => decays.has(v) ? wd : 0))) return;
  decayGradients(grads, decayed, wd);
  opt.applyGradients(list());
}

/** Number of rows whose arg-max matches the one-hot label, as a float scalar. */
export function correctCount(pred: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(labels, 1)), "float32"));
}
