/**
 * Training-mode BatchNormalization in one libtorch call each way. tfjs-layers normalises a training
 * batch with tf.moments + tf.batchNorm, whose gradient is a composite of ~15 full-size passes;
 * {@link installTorchBatchNorm} patches BatchNormalization.call so that, while "torch" is active and
 * the layer normalises its last axis, the batch statistics, the output and (through its registered
 * gradient) dx, dγ and dβ come from at::native_batch_norm(_backward), and the moving averages are updated in one
 * call. Everything else is the layer's own logic: the same biased batch variance, the same moving-average formula
 * op for op (so the same bits), inference unchanged.
 *
 * @example
 * ```ts
 * installTorchBatchNorm("torch");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";
import { BN_MOVING, BN_TRAIN } from "./kernels/norm.ts";
import { firstInput, patchLayerCall } from "./patch_layer.ts";

/** The BatchNormalization fields the training path reads (public in JS). */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor };
  beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
}

/** Patches tfjs-layers' BatchNormalization (once) for the given backend. */
export function installTorchBatchNorm(backendName: string): void {
  patchLayerCall<BatchNormLayer>("BatchNormalization", (original) =>
    function (inputs, kwargs) {
      const x = firstInput(inputs);
      const axis = this.axis >= 0 ? this.axis : this.axis + x.rank;
      if (
        tf.getBackend() !== backendName || !kwargs?.training || axis !== x.rank - 1 || x.rank < 2 ||
        !this.center || !this.scale || x.dtype !== "float32"
      ) {
        return original.call(this, inputs, kwargs);
      }
      return tf.tidy(() => {
        const [y, mean, variance] = tf.engine().runKernel(
          BN_TRAIN,
          { x, scale: this.gamma.read(), offset: this.beta.read() },
          { varianceEpsilon: this.epsilon },
        ) as tf.Tensor[];
        const [movingMean, movingVariance] = tf.engine().runKernel(
          BN_MOVING,
          { movingMean: this.movingMean.read(), movingVariance: this.movingVariance.read(), mean, variance },
          { decay: 1 - this.momentum },
        ) as tf.Tensor[];
        this.movingMean.write(movingMean);
        this.movingVariance.write(movingVariance);
        return y;
      });
    });
}
