/**
 * a_k + alpha·b_k for lists of tensors: a step's weight decay (g + wd·W for every decayed kernel). On torch all
 * pairs go to libtorch in one kernel call (TorchAddScaled) instead of a multiply, an add and a scalar upload each;
 * elsewhere tfjs's own ops run. Both give the same float32 bits: alpha is rounded to float32 as a tfjs scalar.
 *
 * @example
 * ```ts
 * const [g1, g2] = addScaled([ga, gb], [wa, wb], 5e-4); // ga + 5e-4·wa, gb + 5e-4·wb
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { ADD_SCALED } from "./torch/kernels/math.ts";
import { TORCH_BACKEND } from "./torch/mod.ts";

/** a[k] + alpha·b[k] for each k, as new tensors (the inputs stay). */
export function addScaled(a: tf.Tensor[], b: tf.Tensor[], alpha: number): tf.Tensor[] {
  if (a.length !== b.length) throw new Error(`addScaled: ${a.length} tensors against ${b.length}`);
  if (a.length === 0) return [];
  const pairs = a.flatMap((t, k) => [t, b[k]]);
  if (tf.getBackend() === TORCH_BACKEND && pairs.every((t) => t.dtype === "float32")) {
    return tf.engine().runKernel(ADD_SCALED, pairs as unknown as tf.NamedTensorMap, { alpha }) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const s = tf.scalar(alpha);
    return a.map((t, k) => tf.add(t, tf.mul(b[k], s)));
  });
}
