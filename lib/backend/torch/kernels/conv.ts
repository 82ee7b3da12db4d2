/**
 * Convolutions on libtorch: Conv2D, FusedConv2D (bias and activation fused), Conv2DBackpropInput
 * and Conv2DBackpropFilter, all with native dilation (the gradients read a `dilations` attribute
 * that tfjs's own Conv2D gradient never sets; ../gradients.ts passes it). NHWC data and HWIO
 * filters as tfjs stores them; the shim runs ATen's channels_last convolution on views of them.
 *
 * @example
 * ```ts
 * for (const k of convKernels()) registerKernel({ ...k, backendName: "torch" });
 * ```
 * @module
 */
import { backend_util, type TensorInfo } from "@tensorflow/tfjs-core";
import { runOnCpu, type TorchArgs } from "../fallback.ts";
import { kernel, type KernelDef, named } from "./util.ts";

type Pad = "valid" | "same" | number | backend_util.ExplicitPadding;
type Pair = number | [number, number];

/** The 8 geometry numbers the shim's conv and pool ops read: strides, pads (t, b, l, r), last two. */
export function geometry(info: backend_util.Conv2DInfo, lastTwo: [number, number]): number[] {
  const p = info.padInfo;
  return [info.strideHeight, info.strideWidth, p.top, p.bottom, p.left, p.right, ...lastTwo];
}

/** Fused activation codes of the shim (activate() in torch_shim.cc). */
export const ACTIVATIONS: Record<string, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 3,
  sigmoid: 4,
  leakyrelu: 5,
  prelu: 6,
};

interface ConvAttrs {
  strides: Pair;
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dilations?: Pair;
  dimRoundingMode?: "floor" | "round" | "ceil";
  activation?: string;
  leakyreluAlpha?: number;
}

const f32 = (...ts: (TensorInfo | undefined)[]) => ts.every((t) => t === undefined || t.dtype === "float32");

function forward(name: string, args: TorchArgs): TensorInfo | TensorInfo[] {
  const { x, filter, bias, preluActivationWeights: prelu } = named(args);
  const a = args.attrs as unknown as ConvAttrs;
  const activation = a.activation ?? "linear";
  if (a.dataFormat === "NCHW") return runOnCpu(name, args, "NCHW data");
  if (!f32(x, filter, bias, prelu)) return runOnCpu(name, args, "non-float32 tensors");
  if (!(activation in ACTIVATIONS)) return runOnCpu(name, args, `activation ${activation}`);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
  const geo = geometry(info, [info.dilationHeight, info.dilationWidth]);
  return args.backend.run1("conv2d", [x, filter, bias, prelu], [
    ...geo,
    ACTIVATIONS[activation],
    a.leakyreluAlpha ?? 0.2,
  ]);
}

function backpropInput(args: TorchArgs): TensorInfo | TensorInfo[] {
  const { dy, filter } = named(args);
  const a = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
  if (a.dataFormat === "NCHW") return runOnCpu("Conv2DBackpropInput", args, "NCHW data");
  if (!f32(dy, filter)) return runOnCpu("Conv2DBackpropInput", args, "non-float32 tensors");
  const info = backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
  return args.backend.run1("conv2d_bwd_input", [dy, filter], [
    ...geometry(info, [info.dilationHeight, info.dilationWidth]),
    ...a.inputShape,
  ]);
}

function backpropFilter(args: TorchArgs): TensorInfo | TensorInfo[] {
  const { x, dy } = named(args);
  const a = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  if (a.dataFormat === "NCHW") return runOnCpu("Conv2DBackpropFilter", args, "NCHW data");
  if (!f32(x, dy)) return runOnCpu("Conv2DBackpropFilter", args, "non-float32 tensors");
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
  return args.backend.run1("conv2d_bwd_filter", [x, dy], [
    ...geometry(info, [info.dilationHeight, info.dilationWidth]),
    ...a.filterShape,
  ]);
}

/** Kernel configs of the convolution family. */
export function convKernels(): KernelDef[] {
  return [
    kernel("Conv2D", (args) => forward("Conv2D", args)),
    kernel("FusedConv2D", (args) => forward("FusedConv2D", args)),
    kernel("Conv2DBackpropInput", backpropInput),
    kernel("Conv2DBackpropFilter", backpropFilter),
  ];
}
