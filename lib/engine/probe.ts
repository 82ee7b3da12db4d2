/**
 * Can the active backend train a model? Some register only inference kernels (wasm lacks
 * `Conv2DBackpropFilter`); finding out after the run folder is made, or after an epoch of decoding,
 * leaves a failed run behind. {@link trainProbe} builds the model — the same layers, hence the same
 * kernels, at 16×16 pictures so that the paper's model takes a second, not ten — and takes its
 * gradients once on a blank picture; it returns why that failed, or null.
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

/** The picture side of the probe: small, and enough for the model's three poolings. */
const PROBE_SIZE = 16;

/** Null when one gradient step of a model of `cfg` runs on the active backend; else the backend's error. */
export function trainProbe(cfg: ModelConfig): string | null {
  const fm = buildModel({ ...cfg, inputSize: Math.min(cfg.inputSize, PROBE_SIZE) });
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
