/**
 * Fixtures shared by the model tests: tiny overrides that keep every preset's architecture but
 * make it cheap on a CPU, a deterministic random batch, and a few Adam steps.
 *
 * @example
 * ```ts
 * const fm = buildModel(preset("table3-A", TINY));
 * const { losses } = adamSteps(fm, randomBatch(fm.config, 8, 1), { steps: 5 });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FerModel } from "./build.ts";
import type { ModelConfig } from "./config.ts";
import { Rng } from "../util/rng.ts";

/** Overrides shrinking any preset to 16×16 inputs and 1/32 width (VGG 2…16 channels). */
export const TINY: Partial<ModelConfig> = { inputSize: 16, width: 1 / 32, fcUnits: [16], dropout: 0 };

/** Model inputs (raw, and LBP when configured) and one-hot labels. */
export interface Batch {
  xs: tf.Tensor4D[];
  ys: tf.Tensor2D;
}

/**
 * `n` uniform [0,1) images per input of `cfg` and random one-hot labels, from `seed`.
 *
 * @example
 * ```ts
 * const { xs, ys } = randomBatch(cfg, 4, 7);
 * ```
 */
export function randomBatch(cfg: ModelConfig, n: number, seed: number): Batch {
  const rng = new Rng(seed);
  const s = cfg.inputSize;
  const image = (c: number) =>
    tf.tensor4d(Float32Array.from({ length: n * s * s * c }, () => rng.next()), [n, s, s, c]);
  const xs = cfg.lbp === "none" ? [image(cfg.channels)] : [image(cfg.channels), image(1)];
  const labels = Array.from({ length: n }, (_, i) => (i < cfg.numClasses ? i : rng.int(cfg.numClasses)));
  const ys = tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), cfg.numClasses), "float32") as tf.Tensor2D;
  return { xs, ys };
}

/** Result of {@link adamSteps}. */
export interface StepsResult {
  /** Training-mode cross-entropy before each step and once after the last. */
  losses: number[];
  /** Gradient L1 norm of every trainable variable at the first step, by layer-variable name. */
  firstGrads: Map<string, number>;
}

/**
 * Runs `steps` Adam steps on one batch with training-mode forward passes (BatchNorm on batch
 * statistics, dropout active).
 *
 * @example
 * ```ts
 * const { losses } = adamSteps(fm, batch, { steps: 5, learningRate: 0.01 });
 * ```
 */
export function adamSteps(
  fm: FerModel,
  batch: Batch,
  opts: { steps: number; learningRate?: number },
): StepsResult {
  const optimizer = tf.train.adam(opts.learningRate ?? 0.01);
  const weights = fm.model.trainableWeights;
  const vars = weights.map((w) => w.read() as tf.Variable);
  const lossFn = () =>
    tf.tidy(() => {
      const probs = fm.model.apply(batch.xs, { training: true }) as tf.Tensor;
      const logp = tf.log(tf.clipByValue(probs, 1e-7, 1));
      return tf.neg(tf.mean(tf.sum(tf.mul(batch.ys, logp), -1))) as tf.Scalar;
    });
  const losses: number[] = [];
  const firstGrads = new Map<string, number>();
  for (let step = 0; step < opts.steps; step++) {
    const { value, grads } = tf.variableGrads(lossFn, vars);
    losses.push(value.dataSync()[0]);
    if (step === 0) {
      weights.forEach((w, i) =>
        firstGrads.set(w.originalName, tf.tidy(() => tf.sum(tf.abs(grads[vars[i].name])).dataSync()[0]))
      );
    }
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose([value, ...Object.values(grads)]);
  }
  const last = lossFn();
  losses.push(last.dataSync()[0]);
  last.dispose();
  optimizer.dispose();
  return { losses, firstGrads };
}
