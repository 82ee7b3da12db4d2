/**
 * MaxPool and MaxPoolGrad as OpenMP loops (NHWC). Ties go to the first maximum in the window, as in
 * tfjs's cpu backend; the gradient recomputes the argmax from the input instead of keeping indices.
 *
 * @example
 * ```ts
 * for (const k of poolKernels(ctx)) registerKernel({ ...k, backendName: "fer-native" });
 * ```
 * @module
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { cpuKernel, f32, isF32, type KernelArgs, type KernelContext, output } from "./util.ts";

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function poolGeometry(ci: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    ci.batchSize,
    ci.inHeight,
    ci.inWidth,
    ci.inChannels,
    ci.outHeight,
    ci.outWidth,
    ci.filterHeight,
    ci.filterWidth,
    ci.strideHeight,
    ci.strideWidth,
    ci.padInfo.top,
    ci.padInfo.left,
  ]);
}

/** Kernel configs (without backendName) for max pooling. */
export function poolKernels(ctx: KernelContext): Omit<KernelConfig, "backendName">[] {
  const { lib } = ctx;
  const info = (shape: number[], a: PoolAttrs) =>
    backend_util.computePool2DInfo(
      shape as [number, number, number, number],
      a.filterSize,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );

  const maxPool = (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    const a = args.attrs as unknown as PoolAttrs;
    if (x.shape.length !== 4 || !isF32(args.backend, x)) {
      return cpuKernel("MaxPool")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const ci = info(x.shape, a);
    if (ci.filterWidth === 1 && ci.filterHeight === 1 && ci.strideHeight === 1 && ci.strideWidth === 1) {
      return cpuKernel("MaxPool")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const y = new Float32Array(ci.batchSize * ci.outHeight * ci.outWidth * ci.outChannels);
    lib.check(lib.symbols.fer_maxpool_fwd(poolGeometry(ci), f32(args.backend, x), y), "MaxPool");
    return output(args.backend, ci.outShape, y);
  };

  const maxPoolGrad = (args: KernelArgs): TensorInfo => {
    const { dy, input } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as unknown as PoolAttrs;
    if (!isF32(args.backend, dy, input)) {
      return cpuKernel("MaxPoolGrad")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const ci = info(input.shape, a);
    const dx = new Float32Array(input.shape.reduce((p, q) => p * q, 1));
    lib.check(
      lib.symbols.fer_maxpool_bwd(poolGeometry(ci), f32(args.backend, input), f32(args.backend, dy), dx),
      "MaxPoolGrad",
    );
    return output(args.backend, [...input.shape], dx);
  };

  return [
    { kernelName: "MaxPool", kernelFunc: maxPool as unknown as KernelFunc },
    { kernelName: "MaxPoolGrad", kernelFunc: maxPoolGrad as unknown as KernelFunc },
  ];
}
