/**
 * The optimiser a train config names, and setting its learning rate between epochs.
 *
 * @example
 * ```ts
 * const opt = makeOptimizer(trainPreset("sgd"));
 * setLr(opt, 5e-3);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TrainConfig } from "./config.ts";

/** Adam, momentum SGD (Nesterov with `nesterov`) or plain SGD at the config's learning rate. */
export function makeOptimizer(cfg: TrainConfig): tf.Optimizer {
  if (cfg.optimizer === "adam") return tf.train.adam(cfg.lr);
  return cfg.momentum > 0 ? tf.train.momentum(cfg.lr, cfg.momentum, cfg.nesterov ?? false) : tf.train.sgd(cfg.lr);
}

/** Sets the learning rate of a tfjs optimiser in place. */
export function setLr(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.setLearningRate) o.setLearningRate(lr);
  else o.learningRate = lr;
}
