/**
 * Conv2D, FusedConv2D (bias + linear/relu fused in oneDNN), Conv2DBackpropInput and
 * Conv2DBackpropFilter on oneDNN, NHWC data and HWIO filters exactly as tfjs stores them.
 *
 * @example
 * ```ts
 * for (const k of convKernels(ctx)) registerKernel({ ...k, backendName: "fer-native" });
 * ```
 * @module
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { cpuKernel, f32, filterGradCall, isF32, type KernelArgs, type KernelContext, output } from "./util.ts";

type ConvInfo = backend_util.Conv2DInfo;

/** The 18-int geometry block the C side reads (struct Geo in fer_kernels.cc). */
export function convGeometry(ci: ConvInfo, hasBias: boolean): Int32Array {
  const p = ci.padInfo;
  return Int32Array.from([
    ci.batchSize,
    ci.inHeight,
    ci.inWidth,
    ci.inChannels,
    ci.outHeight,
    ci.outWidth,
    ci.outChannels,
    ci.filterHeight,
    ci.filterWidth,
    ci.strideHeight,
    ci.strideWidth,
    ci.dilationHeight,
    ci.dilationWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
    hasBias ? 1 : 0,
  ]);
}

/** Activations applied after a native conv/matmul in JS (relu is fused natively). */
const JS_ACTIVATIONS = new Set(["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"]);

/** Applies a non-relu activation in place. */
export function applyActivationInPlace(y: Float32Array, activation: string, alpha = 0.2): void {
  switch (activation) {
    case "linear":
      return;
    case "relu":
      for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) y[i] = y[i] < 0 ? 0 : y[i];
      return;
    case "relu6":
      for (let i = 0; i < y.length; i++) y[i] = Math.min(6, Math.max(0, y[i]));
      return;
    case "elu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = Math.exp(y[i]) - 1;
      return;
    case "sigmoid":
      for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-y[i]));
      return;
    case "leakyrelu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= alpha;
      return;
  }
  throw new Error(`fer-native: activation ${activation} not supported`);
}

/** Kernel configs (without backendName) for the convolution family. */
export function convKernels(ctx: KernelContext): Omit<KernelConfig, "backendName">[] {
  const { lib } = ctx;
  const s = lib.symbols;

  const forward = (args: KernelArgs, fused: boolean): TensorInfo => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as unknown as {
      strides: number | [number, number];
      pad: "valid" | "same" | number | backend_util.ExplicitPadding;
      dataFormat: "NHWC" | "NCHW";
      dilations: number | [number, number];
      dimRoundingMode?: "floor" | "round" | "ceil";
      activation?: string;
      leakyreluAlpha?: number;
    };
    const activation = fused ? a.activation ?? "linear" : "linear";
    const name = fused ? "FusedConv2D" : "Conv2D";
    const ci = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      a.strides,
      a.dilations,
      a.pad,
      a.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    const biasOk = bias === undefined ||
      (bias.shape.length <= 1 && bias.shape.reduce((p, q) => p * q, 1) === ci.outChannels);
    if (
      a.dataFormat !== "NHWC" || preluActivationWeights !== undefined || !biasOk || !JS_ACTIVATIONS.has(activation) ||
      !isF32(args.backend, x, filter, bias)
    ) {
      return cpuKernel(name)(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const y = new Float32Array(ci.batchSize * ci.outHeight * ci.outWidth * ci.outChannels);
    const relu = activation === "relu" ? 1 : 0;
    const bv = bias ? f32(args.backend, bias) : null;
    lib.check(
      s.fer_conv_fwd(convGeometry(ci, bv !== null), f32(args.backend, x), f32(args.backend, filter), bv, y, relu),
      name,
    );
    if (!relu) applyActivationInPlace(y, activation, a.leakyreluAlpha);
    return output(args.backend, ci.outShape, y);
  };

  const backpropInput = (args: KernelArgs): TensorInfo => {
    const { dy, filter } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as unknown as {
      inputShape: [number, number, number, number];
      strides: number | [number, number];
      pad: "valid" | "same" | number | backend_util.ExplicitPadding;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
    };
    if (a.dataFormat !== "NHWC" || !isF32(args.backend, dy, filter)) {
      return cpuKernel("Conv2DBackpropInput")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const ci = backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      "channelsLast",
    );
    const dx = new Float32Array(ci.batchSize * ci.inHeight * ci.inWidth * ci.inChannels);
    lib.check(
      s.fer_conv_bwd_data(convGeometry(ci, false), f32(args.backend, dy), f32(args.backend, filter), dx),
      "Conv2DBackpropInput",
    );
    return output(args.backend, [...a.inputShape], dx);
  };

  const backpropFilter = (args: KernelArgs): TensorInfo => {
    const call = filterGradCall(args.inputs, args.attrs);
    if (!call || !isF32(args.backend, call.x, call.dy)) {
      return cpuKernel("Conv2DBackpropFilter")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const dw = new Float32Array(call.filterShape.reduce((p, q) => p * q, 1));
    lib.check(
      s.fer_conv_bwd_weights(convGeometry(call.info, false), f32(args.backend, call.x), f32(args.backend, call.dy), dw),
      "Conv2DBackpropFilter",
    );
    return output(args.backend, [...call.filterShape], dw);
  };

  return [
    { kernelName: "Conv2D", kernelFunc: ((args: KernelArgs) => forward(args, false)) as unknown as KernelFunc },
    { kernelName: "FusedConv2D", kernelFunc: ((args: KernelArgs) => forward(args, true)) as unknown as KernelFunc },
    { kernelName: "Conv2DBackpropInput", kernelFunc: backpropInput as unknown as KernelFunc },
    { kernelName: "Conv2DBackpropFilter", kernelFunc: backpropFilter as unknown as KernelFunc },
  ];
}
