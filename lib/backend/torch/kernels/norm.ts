/**
 * Batch normalisation on libtorch, channel axis last:
 *
 * - FusedBatchNorm (tfjs's kernel: given mean and variance, as at inference) → at::batch_norm;
 * - TorchBatchNormTrain {x, scale, offset, [movingMean, movingVariance]} attrs {varianceEpsilon, [decay]} →
 *   [y, batch mean, biased batch variance, 1/√(var+ε), [new moving mean, new moving variance]] in one
 *   at::native_batch_norm call; the moving statistics, when given, each become m − (m − b)·decay, tfjs-layers'
 *   update op for op, in the same call in place of six;
 * - TorchBatchNormReluTrain: the same, then ReLU in place on y, in the same call (a BatchNormalization
 *   whose one reader is a ReLU layer);
 * - TorchBatchNormGrad {dy, x, scale, mean, invstd, [y]} → [dx, dscale, doffset] in one
 *   at::native_batch_norm_backward call (the full training-mode gradient, through the batch
 *   statistics), in place of tfjs's ~15-op composite of moments and batchNorm gradients; given the ReLU's
 *   output y, dy first goes through ReLU's gradient in the same call;
 *
 * These are used by ../layers.ts while a BatchNormalization layer trains on "torch".
 *
 * @example
 * ```ts
 * const [y, mean, variance] = engine().runKernel("TorchBatchNormTrain", { x, scale, offset }, { varianceEpsilon: 1e-3 });
 * ```
 * @module
 */
import { type TensorInfo, util } from "@tensorflow/tfjs-core";
import { runOnCpu, type TorchArgs } from "../fallback.ts";
import { kernel, type KernelDef, named } from "./util.ts";

/** Name of the training-mode batch-norm kernel. */
export const BN_TRAIN = "TorchBatchNormTrain";
/** Name of the training-mode batch-norm kernel followed by ReLU. */
export const BN_RELU_TRAIN = "TorchBatchNormReluTrain";
/** Name of its gradient kernel. */
export const BN_TRAIN_GRAD = "TorchBatchNormGrad";

function inference(args: TorchArgs): TensorInfo | TensorInfo[] {
  const { x, mean, variance, offset, scale } = named(args);
  const c = x.shape[x.shape.length - 1];
  const perChannel = (t: TensorInfo | undefined) =>
    t === undefined || (t.dtype === "float32" && util.sizeFromShape(t.shape) === c);
  if (x.shape.length < 2 || x.dtype !== "float32" || ![mean, variance, offset, scale].every(perChannel)) {
    return runOnCpu("FusedBatchNorm", args, "statistics that are not one per channel");
  }
  const eps = Number(args.attrs?.varianceEpsilon ?? 0.001);
  return args.backend.run1("bn_infer", [x, mean, variance, offset, scale], [eps]);
}

/** Kernel configs of batch normalisation. */
export function normKernels(): KernelDef[] {
  return [
    kernel("FusedBatchNorm", inference),
    ...([[BN_TRAIN, 0], [BN_RELU_TRAIN, 1]] as const).map(([name, relu]) =>
      kernel(name, (args) => {
        const { x, scale, offset, movingMean, movingVariance } = named(args);
        const eps = Number(args.attrs?.varianceEpsilon), decay = Number(args.attrs?.decay ?? 0);
        return args.backend.run("bn_train", [x, scale, offset, movingMean, movingVariance], [eps, relu, decay]);
      })
    ),
    kernel(BN_TRAIN_GRAD, (args) => {
      const { dy, x, scale, mean, invstd, y } = named(args);
      return args.backend.run("bn_train_bwd", [dy, x, scale, mean, invstd, y], [Number(args.attrs?.varianceEpsilon)]);
    }),
  ];
}
