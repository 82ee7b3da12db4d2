/**
 * Can the active backend train a model? Some register only inference kernels (wasm lacks
 * `Conv2DBackpropFilter`); finding out after the run folder is made, or after an epoch of decoding,
 * leaves a failed run behind. {@link trainProbe} builds the model and takes its gradients once on a
 * blank picture — a fraction of a second — and returns why it failed, or null.
 *
 * @example
 * ```ts
 * const why = trainProbe(modelConfig);
 * if (why) throw new Error(`backend ${tf.getBackend()} cannot train this model (${why})`);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { buildModel } from "../model/build.ts";
import type { ModelConfig } from "../model/config.ts";

/** Null when one gradient step of a model of `cfg` runs on the active backend; else the backend's error. */
export function trainProbe(cfg: ModelConfig): string | null {
  const fm = buildModel(cfg);
  try {
    tf.tidy(() => {
      const inputs = fm.model.inputs.map((i) => tf.zeros([1, ...i.shape.slice(1) as number[]]));
      const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
      tf.variableGrads(() => tf.sum(fm.model.apply(inputs, { training: true }) as tf.Tensor) as tf.Scalar, vars);
    });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    fm.model.dispose();
  }
}
