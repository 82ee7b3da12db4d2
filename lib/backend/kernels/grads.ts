/**
 * Backend-private kernels that the fer-native gradients use in place of tfjs's composite gradients
 * (see ../gradients.ts): each replaces a chain of full-size tensor passes with one or two.
 *
 * - FerReluGrad {dy, x}: dy where x > 0 (tfjs: step, cast, mul);
 * - FerSquareGrad {dy, x}: 2·x·dy (tfjs: cast, mul, mul);
 * - FerBroadcastMul {a, b} attrs {shape}: a·b broadcast up to `shape` (Mean's gradient, without
 *   tfjs's full-size ones tensor);
 * - FerBatchNormGrad {x, dy, mean, variance, scale?} attrs {varianceEpsilon}: the five gradients of
 *   FusedBatchNorm for per-channel (rank-1) statistics from one pass of sums plus one pass for dx.
 *
 * @example
 * ```ts
 * const [dx, dMean, dVar, dScale, dOffset] = tf.engine().runKernel("FerBatchNormGrad", inputs, attrs);
 * ```
 * @module
 */
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { BINARY_OPS, broadcastPlan, runBinary } from "./elementwise.ts";
import { f32, type KernelArgs, type KernelContext, output } from "./util.ts";

/** Names of the kernels defined here. */
export const GRAD_KERNELS = ["FerReluGrad", "FerSquareGrad", "FerBroadcastMul", "FerBatchNormGrad"] as const;

/** Kernel configs (without backendName) of the gradient helpers. */
export function gradKernels(ctx: KernelContext): Omit<KernelConfig, "backendName">[] {
  const { lib } = ctx;

  const pointwise = (op: number) => (args: KernelArgs): TensorInfo => {
    const { dy, x } = args.inputs as Record<string, TensorInfo>;
    const plan = broadcastPlan(dy.shape, x.shape);
    return output(args.backend, plan.outShape, runBinary(lib, op, f32(args.backend, dy), f32(args.backend, x), plan));
  };

  const broadcastMul = (args: KernelArgs): TensorInfo => {
    const { a, b } = args.inputs as Record<string, TensorInfo>;
    const shape = (args.attrs as unknown as { shape: number[] }).shape;
    const plan = broadcastPlan(a.shape, b.shape, shape);
    return output(
      args.backend,
      shape,
      runBinary(lib, BINARY_OPS.Multiply, f32(args.backend, a), f32(args.backend, b), plan),
    );
  };

  const batchNormGrad = (args: KernelArgs): TensorInfo[] => {
    const { x, dy, mean, variance, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    if (!x || !dy || !mean || !variance) throw new Error("FerBatchNormGrad: x, dy, mean and variance are required");
    const eps = args.attrs?.varianceEpsilon as number;
    const c = x.shape[x.shape.length - 1];
    const n = util.sizeFromShape(x.shape) / c;
    const m = f32(args.backend, mean), va = f32(args.backend, variance);
    const sc = scale ? f32(args.backend, scale) : new Float32Array(c).fill(1);
    const s1 = new Float64Array(c), s2 = new Float64Array(c);
    lib.check(
      lib.symbols.fer_bn_sums(f32(args.backend, x), f32(args.backend, dy), m, s1, s2, BigInt(n), BigInt(c)),
      "FerBatchNormGrad",
    );
    const k = new Float32Array(c), dMean = new Float32Array(c), dVar = new Float32Array(c);
    const dScale = new Float32Array(c), dOffset = new Float32Array(c);
    for (let i = 0; i < c; i++) {
      const r = 1 / Math.sqrt(va[i] + eps);
      k[i] = r * sc[i];
      dMean[i] = -r * sc[i] * s1[i];
      dVar[i] = -0.5 * r * r * r * sc[i] * s2[i];
      dScale[i] = r * s2[i];
      dOffset[i] = s1[i];
    }
    const plan = broadcastPlan(dy.shape, [c]);
    const dx = runBinary(lib, BINARY_OPS.Multiply, f32(args.backend, dy), k, plan);
    return [
      output(args.backend, [...x.shape], dx),
      output(args.backend, [...mean.shape], dMean),
      output(args.backend, [...mean.shape], dVar),
      output(args.backend, [...mean.shape], dScale),
      output(args.backend, [...mean.shape], dOffset),
    ];
  };

  return [
    { kernelName: "FerReluGrad", kernelFunc: pointwise(BINARY_OPS.ReluGrad) as unknown as KernelFunc },
    { kernelName: "FerSquareGrad", kernelFunc: pointwise(BINARY_OPS.SquareGrad) as unknown as KernelFunc },
    { kernelName: "FerBroadcastMul", kernelFunc: broadcastMul as unknown as KernelFunc },
    { kernelName: "FerBatchNormGrad", kernelFunc: batchNormGrad as unknown as KernelFunc },
  ];
}
