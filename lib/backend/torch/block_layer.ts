/**
 * Conv2D → BatchNormalization → ReLU in one call each way while a network trains on torch, and in one call in
 * inference. Every block of the networks is a convolution without bias whose one reader is a batch norm whose one
 * reader is a ReLU; layer by layer a training step spends five kernel calls and as many tape nodes on it (convolution,
 * batch norm with ReLU, and the three gradients), and the batch norm's statistics come back to tfjs only to be handed
 * back. {@link blockCall} runs the three layers' work in one TorchConvBnReluTrain call from the convolution's `call`
 * (conv_layer.ts), which updates the moving statistics in place, with its gradient in one call (kernels/block.ts); the
 * batch norm and ReLU layers then pass the output on (layers.ts). The values are those of the layers apart within the
 * kernel tests' tolerance (the batch norm with ReLU is the shim's two-pass kernels' on x86-64 CPUs: layers.ts). In
 * training, where the ReLU's one reader is a 2×2 max pool with stride 2 (a VGG stage's last block), the call pools
 * too, in the batch norm's passes each way, where the shim can (its AVX2 kernels, an even height and width; the
 * output's shape tells), and the pool layer passes the output on as well: no full-size output written or read. In
 * inference, while no gradient is recorded, one TorchConvBnReluInfer call does the three layers' work (the batch norm
 * from its moving statistics; an inference pass that records a gradient, a saliency map's, runs the layers).
 * `setTorchFusion(false)` runs them apart.
 *
 * @example
 * ```ts
 * const y = blockCall(conv, x, { training: true }, [1, 1]); // null: not a block, or inference recording a gradient
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type BlockAttrs, type BlockTrainAttrs, CONV_BN_RELU_INFER, CONV_BN_RELU_TRAIN } from "./kernels/block.ts";
import { type BatchNormLayer, blockDone, blockPooled, readByReluOnly, torchFusion } from "./layers.ts";
import type { TorchBackend } from "./backend.ts";

/** The fields of a convolution layer without bias (Conv2D, AtrousConv2D) that a block's call reads (public in JS). */
export interface BlockConv {
  kernel: { read(): tf.Tensor };
  strides: number[];
  padding: "valid" | "same";
  inboundNodes: { inboundLayers: { getClassName(): string }[] }[];
  outboundNodes: { outboundLayer: BatchNormLayer & { getClassName(): string } }[];
  computeOutputShape(inputShape: number[]): number[];
}

/** The MaxPooling2D fields the pooled block reads (public in JS). */
interface PoolLayer {
  getClassName(): string;
  poolSize: number[];
  strides: number[];
  dataFormat: string;
}

/** Whether the one reader of bn's ReLU is a 2×2 max pool with stride 2 on NHWC (valid, or same: alike on the even
 * sizes the shim pools). */
function reluPooled(bn: BatchNormLayer): boolean {
  const readers = (bn.outboundNodes[0].outboundLayer as { outboundNodes?: { outboundLayer: PoolLayer }[] })
    .outboundNodes ?? [];
  if (readers.length !== 1) return false;
  const p = readers[0].outboundLayer;
  return p.getClassName() === "MaxPooling2D" && p.dataFormat === "channelsLast" &&
    [...p.poolSize, ...p.strides].every((v) => v === 2);
}

/** The batch norm that makes `conv` a block with it and its ReLU, or null. */
function blockBatchNorm(conv: BlockConv): BatchNormLayer | null {
  if (conv.inboundNodes?.length !== 1 || conv.outboundNodes?.length !== 1) return null;
  const bn = conv.outboundNodes[0].outboundLayer;
  if (bn.getClassName() !== "BatchNormalization" || !bn.center || !bn.scale) return null;
  if (bn.axis !== -1 && bn.axis !== 3) return null;
  return readByReluOnly(bn) ? bn : null;
}

/** Gives variable v data of its own where another tensor (a clone) shares it, so that the block's kernel may update
 * it in place. */
function ownData(v: tf.Tensor): void {
  if ((tf.backend() as TorchBackend).refCount(v.dataId) === 1) return;
  tf.tidy(() => (v as tf.Variable).assign(tf.mul(v, 1)));
}

/** The block's output on x, training (the batch norm's moving statistics updated) or in inference while no gradient
 * is recorded; null where `conv` (a 2-D convolution without bias or activation on float32 NHWC x, with these
 * dilations: conv_layer.ts checks) is not a block's, or an inference pass records a gradient (its own call then
 * runs). */
export function blockCall(
  conv: BlockConv,
  x: tf.Tensor,
  kwargs: Record<string, unknown>,
  dilations: [number, number],
): tf.Tensor | null {
  if (!torchFusion()) return null;
  const training = kwargs?.training === true;
  if (!training && tf.engine().state.gradientDepth > 0) return null;
  const bn = blockBatchNorm(conv);
  if (!bn) return null;
  const geometry: BlockAttrs = {
    strides: conv.strides as [number, number],
    pad: conv.padding,
    dilations,
    varianceEpsilon: bn.epsilon,
  };
  const inputs = {
    x,
    filter: conv.kernel.read(),
    scale: bn.gamma.read(),
    offset: bn.beta.read(),
    movingMean: bn.movingMean.read(),
    movingVariance: bn.movingVariance.read(),
  };
  if (!training) {
    const y = tf.engine().runKernel(CONV_BN_RELU_INFER, inputs, geometry as unknown as tf.NamedAttrMap) as tf.Tensor;
    blockDone(y);
    return y;
  }
  const attrs: BlockTrainAttrs = {
    ...geometry,
    decay: 1 - bn.momentum,
    // a model input needs no gradient (tfjs's transposed convolution can give it undilated, if asked after all)
    inputGrad: conv.inboundNodes[0].inboundLayers[0]?.getClassName() !== "InputLayer" || dilations.some((v) => v !== 1),
    pool: reluPooled(bn),
  };
  for (const v of [inputs.movingMean, inputs.movingVariance]) ownData(v);
  const y = tf.engine().runKernel(CONV_BN_RELU_TRAIN, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  blockDone(y);
  if (attrs.pool && y.shape[1] !== conv.computeOutputShape(x.shape)[1]) blockPooled(y);
  return y;
}
