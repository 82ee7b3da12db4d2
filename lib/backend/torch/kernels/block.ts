/**
 * Conv → batch norm → ReLU blocks in one libtorch call each way (the shim's block section), for the training
 * step and the inference of the networks' blocks (../block_layer.ts):
 *
 * - TorchConvBnReluTrain {x, filter, scale, offset, movingMean, movingVariance} attrs {strides, pad, dilations,
 *   varianceEpsilon, decay} → y: the convolution (no bias), the training batch norm and ReLU, with the moving
 *   statistics updated in place (their data must be theirs alone: blockCall sees to it), so no tensors of theirs
 *   pass through tfjs or its tape; the convolution's output and the batch statistics stay in libtorch beside y for
 *   the gradient (in bf16 mode the convolution's output stays bf16, with x's bf16 copy for the filter gradient);
 *   with `pool`, y is also max pooled 2×2 with stride 2 in the same pass where the shim can (its AVX2 kernels, an
 *   even height and width), else not: y's height tells;
 * - TorchConvBnReluInfer {x, filter, scale, offset, movingMean, movingVariance} attrs {strides, pad, dilations,
 *   varianceEpsilon} → y: the convolution, the inference batch norm and ReLU (in one pass after the convolution
 *   in fp32 and bf16 on a CPU with AVX2 and FMA); no gradient, for the forward passes that record none;
 * - TorchConvBnReluGrad {dy, x, filter, scale, y} attrs {…, inputGrad} → [dx, dfilter, dscale, doffset]: ReLU's,
 *   the batch norm's and the convolution's gradients in one call; with `inputGrad` false (the block reads a
 *   model input, whose gradient nothing asks) dx's convolution is skipped and the first output is the
 *   convolution's output gradient instead, from which dx can still be had; dy and y pooled where the forward
 *   pooled.
 *
 * The convolution's ATen calls are Conv2D's, and the batch norm with ReLU is TorchBatchNormReluTrain's (the shim's
 * two-pass kernels on an x86-64 CPU with AVX2 and FMA, ATen's calls elsewhere; see ../layers.ts), so a block gives
 * what its three layers apart give within the kernel tests' tolerance.
 *
 * @example
 * ```ts
 * const y = engine().runKernel(CONV_BN_RELU_TRAIN, { x, filter, scale, offset, movingMean, movingVariance },
 *   { strides: 1, pad: "same", dilations: 1, varianceEpsilon: 1e-3, decay: 0.01 }); // moving stats updated
 * ```
 * @module
 */
import { backend_util, type TensorInfo } from "@tensorflow/tfjs-core";
import { geometry } from "./conv.ts";
import { kernel, type KernelDef, named } from "./util.ts";

/** Name of the training block kernel. */
export const CONV_BN_RELU_TRAIN = "TorchConvBnReluTrain";
/** Name of its gradient kernel. */
export const CONV_BN_RELU_GRAD = "TorchConvBnReluGrad";
/** Name of the inference block kernel (no gradient: used only while no gradient is recorded). */
export const CONV_BN_RELU_INFER = "TorchConvBnReluInfer";

/** The attributes of the inference kernel: the convolution's geometry and the batch norm's epsilon. */
export interface BlockAttrs {
  strides: number | [number, number];
  pad: "valid" | "same";
  dilations: number | [number, number];
  varianceEpsilon: number;
}

/** The attributes of the training kernel and its gradient. */
export interface BlockTrainAttrs extends BlockAttrs {
  /** 1 − the layer's momentum. */
  decay: number;
  /** Whether the gradient kernel computes dx (false where the block reads a model input). */
  inputGrad?: boolean;
  /** Whether the training kernel max pools its output 2×2 with stride 2 where it can (y's height tells). */
  pool?: boolean;
}

/** The shim's convolution geometry of the block on x. */
function blockGeometry(x: TensorInfo, filter: TensorInfo, a: BlockAttrs): number[] {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
  );
  return geometry(info, [info.dilationHeight, info.dilationWidth]);
}

/** Kernel configs of the block. */
export function blockKernels(): KernelDef[] {
  return [
    kernel(CONV_BN_RELU_TRAIN, (args) => {
      const { x, filter, scale, offset, movingMean, movingVariance } = named(args);
      const a = args.attrs as unknown as BlockTrainAttrs;
      const inputs = [x, filter, scale, offset, movingMean, movingVariance];
      return args.backend.runKeeping("block_train", inputs, [
        ...blockGeometry(x, filter, a),
        a.varianceEpsilon,
        a.decay,
        a.pool ? 1 : 0,
      ], 1)[0];
    }),
    kernel(CONV_BN_RELU_INFER, (args) => {
      const { x, filter, scale, offset, movingMean, movingVariance } = named(args);
      const a = args.attrs as unknown as BlockAttrs;
      const inputs = [x, filter, scale, offset, movingMean, movingVariance];
      return args.backend.run1("block_infer", inputs, [...blockGeometry(x, filter, a), a.varianceEpsilon]);
    }),
    kernel(CONV_BN_RELU_GRAD, (args) => {
      const { dy, x, filter, scale, y } = named(args);
      const a = args.attrs as unknown as BlockTrainAttrs;
      const geo = [...blockGeometry(x, filter, a), a.varianceEpsilon, a.inputGrad === false ? 0 : 1];
      const grads = args.backend.runWithKept("block_train_bwd", [dy, x, filter, scale, y], y, geo);
      if (!grads) throw new Error(`${CONV_BN_RELU_GRAD}: y was not made by ${CONV_BN_RELU_TRAIN} (no statistics kept)`);
      return grads;
    }),
  ];
}
