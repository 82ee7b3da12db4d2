/**
 * Conv2D → BatchNormalization → ReLU in one call each way while a network trains on torch. Every block of the
 * networks is a convolution without bias whose one reader is a batch norm whose one reader is a ReLU; layer by layer
 * a training step spends five kernel calls and as many tape nodes on it (convolution, batch norm with ReLU, and the
 * three gradients), and the batch norm's statistics come back to tfjs only to be handed back. {@link blockCall}
 * runs the three layers' work in one TorchConvBnReluTrain call from the convolution's `call` (conv_layer.ts), with
 * its gradient in one call (kernels/block.ts); the batch norm and ReLU layers then pass the output on
 * (layers.ts). The values are those of the layers apart within the kernel tests' tolerance (the batch norm with ReLU
 * is the shim's two-pass kernels' in fp32 on the CPU: layers.ts). `setTorchFusion(false)` runs them apart.
 *
 * @example
 * ```ts
 * const y = blockCall(conv, x, { training: true }, [1, 1]); // null: not a block, or not training
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type BlockAttrs, CONV_BN_RELU_TRAIN } from "./kernels/block.ts";
import { type BatchNormLayer, blockDone, readByReluOnly, torchFusion } from "./layers.ts";

/** The Conv2D fields the torch paths read (public in JS). */
export interface BlockConv {
  rank: number;
  bias: unknown;
  activation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  strides: number[];
  padding: "valid" | "same";
  dataFormat: "channelsLast" | "channelsFirst";
  dilationRate: number | number[];
  inboundNodes: { inboundLayers: { getClassName(): string }[] }[];
  outboundNodes: { outboundLayer: BatchNormLayer & { getClassName(): string } }[];
}

/** The batch norm that makes `conv` a block with it and its ReLU, or null. */
function blockBatchNorm(conv: BlockConv): BatchNormLayer | null {
  if (conv.inboundNodes?.length !== 1 || conv.outboundNodes?.length !== 1) return null;
  const bn = conv.outboundNodes[0].outboundLayer;
  if (bn.getClassName() !== "BatchNormalization" || !bn.center || !bn.scale) return null;
  if (bn.axis !== -1 && bn.axis !== 3) return null;
  return readByReluOnly(bn) ? bn : null;
}

/** The block's output on x, with the batch norm's moving statistics updated; null where `conv` (a 2-D convolution
 * without bias or activation on float32 NHWC x, with these dilations: conv_layer.ts checks) is not a training
 * block's (its own call then runs). */
export function blockCall(
  conv: BlockConv,
  x: tf.Tensor,
  kwargs: Record<string, unknown>,
  dilations: [number, number],
): tf.Tensor | null {
  if (!torchFusion() || kwargs?.training !== true) return null;
  const bn = blockBatchNorm(conv);
  if (!bn) return null;
  const attrs: BlockAttrs = {
    strides: conv.strides as [number, number],
    pad: conv.padding,
    dilations,
    varianceEpsilon: bn.epsilon,
    decay: 1 - bn.momentum,
    // a model input needs no gradient (tfjs's transposed convolution can give it undilated, if asked after all)
    inputGrad: conv.inboundNodes[0].inboundLayers[0]?.getClassName() !== "InputLayer" || dilations.some((v) => v !== 1),
  };
  const y = tf.tidy(() => {
    const [y, movingMean, movingVariance] = tf.engine().runKernel(CONV_BN_RELU_TRAIN, {
      x,
      filter: conv.kernel.read(),
      scale: bn.gamma.read(),
      offset: bn.beta.read(),
      movingMean: bn.movingMean.read(),
      movingVariance: bn.movingVariance.read(),
    }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    bn.movingMean.write(movingMean);
    bn.movingVariance.write(movingVariance);
    return y;
  });
  blockDone(y);
  return y;
}
