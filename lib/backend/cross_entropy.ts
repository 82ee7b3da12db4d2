/**
 * The training loss's one-call form on torch: lib/engine/loss.ts' class-weighted cross-entropy as
 * TorchWeightedCrossEntropy (torch/kernels/loss.ts) with its gradient in one call too, where torch is the active
 * backend with its fused layers on (setTorchFusion) and the tensors are float32; null elsewhere, where the engine's
 * tfjs ops run. Both give the same values within the kernel tests' tolerance.
 *
 * @example
 * ```ts
 * const loss = fusedCrossEntropy(pred, oneHot, classWeights, 0.1) ?? composite(pred, oneHot, classWeights, 0.1);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { WEIGHTED_CE, type WeightedCeAttrs } from "./torch/kernels/loss.ts";
import { TORCH_BACKEND } from "./torch/register.ts";
import { torchFusion } from "./torch/layers.ts";

/** The loss in one kernel call (and its gradient in one) on torch; null where that call does not apply. */
export function fusedCrossEntropy(
  pred: tf.Tensor2D,
  labels: tf.Tensor2D,
  classWeights: tf.Tensor1D,
  labelSmoothing: number,
): tf.Scalar | null {
  if (tf.getBackend() !== TORCH_BACKEND || !torchFusion()) return null;
  if (![pred, labels, classWeights].every((t) => t.dtype === "float32")) return null;
  const attrs: WeightedCeAttrs = { labelSmoothing };
  return tf.engine().runKernel(
    WEIGHTED_CE,
    { pred, labels, classWeights },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Scalar;
}
