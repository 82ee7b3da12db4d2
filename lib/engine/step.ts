/**
 * One optimiser step of the training loop: a training-mode forward pass, the class-weighted (label-smoothed)
 * cross-entropy, its gradients, weight decay added to the kernels' gradients, and the optimiser's update.
 * `runEpoch` calls it once per batch; the PyTorch twin's agreement test and the twin bench call it to step
 * exactly as training does.
 *
 * @example
 * ```ts
 * const { cost, nCorrect } = trainStep({ model: fm, inputs, labels, optimizer, vars, classWeights, config });
 * tf.dispose([cost, nCorrect]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FerModel } from "../model/build.ts";
import type { TrainConfig } from "./config.ts";
import { applyDecayedUpdate, correctCount, weightedCrossEntropy } from "./loss.ts";

/** Options of {@link trainStep}. */
export interface StepOptions {
  model: FerModel;
  /** The model's inputs (raw, and LBP when configured), [N, S, S, C]. */
  inputs: tf.Tensor[];
  /** One-hot labels [N, K]. */
  labels: tf.Tensor2D;
  optimizer: tf.Optimizer;
  /** The variables the optimiser updates. */
  vars: tf.Variable[];
  classWeights: tf.Tensor1D;
  /** Its `weightDecay` and `labelSmoothing` apply. */
  config: TrainConfig;
}

/** The step's loss (the data term, without the weight decay) and its count of correct rows, both for the caller
 * to dispose. */
export interface StepResult {
  cost: tf.Scalar;
  nCorrect: tf.Scalar;
}

/** Runs one training step on one batch: optimizer.minimize, with the weight decay added to the gradients
 * (applyDecayedUpdate) rather than to the loss. */
export function trainStep(o: StepOptions): StepResult {
  let nCorrect: tf.Scalar | null = null;
  const { value: cost, grads } = tf.variableGrads(() => {
    const pred = o.model.model.apply(o.inputs, { training: true }) as tf.Tensor2D;
    nCorrect = tf.keep(correctCount(pred, o.labels));
    return weightedCrossEntropy(pred, o.labels, o.classWeights, o.config.labelSmoothing ?? 0);
  }, o.vars);
  applyDecayedUpdate(o.optimizer, o.vars, grads, o.config.weightDecay ?? 0);
  tf.dispose(grads);
  return { cost, nCorrect: nCorrect! };
}
