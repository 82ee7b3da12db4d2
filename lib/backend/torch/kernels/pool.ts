/**
 * 2-D pooling on libtorch: MaxPool, AvgPool and their gradients, NHWC. Average pools leave the
 * padding out of the count, as tfjs does, and AvgPoolGrad divides by the whole window at padded
 * borders too, as tfjs's kernel does; max-pool gradients go to the first maximum, as in tfjs.
 * Cases ATen's pools cannot express (rounding modes, padding wider than half the window,
 * asymmetric padding of an average pool) run on the cpu kernel with a notice. While a gradient is being
 * recorded, MaxPool keeps each window's argmax beside its output (freed with it), so MaxPoolGrad scatters dy
 * without pooling again; without them (inference, or a gradient asked of another output) it pools again.
 *
 * @example
 * ```ts
 * for (const k of poolKernels()) registerKernel({ ...k, backendName: "torch" });
 * ```
 * @module
 */
import { backend_util, engine, type TensorInfo } from "@tensorflow/tfjs-core";
import { runOnCpu, type TorchArgs } from "../fallback.ts";
import { geometry } from "./conv.ts";
import { kernel, type KernelDef, named } from "./util.ts";

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** The shim's geometry for a pool of x, or the reason ATen cannot run it. */
function poolGeometry(x: TensorInfo, a: PoolAttrs, max: boolean): number[] | string {
  if (a.dimRoundingMode) return `dimRoundingMode ${a.dimRoundingMode}`;
  if (x.shape.length !== 4) return `rank ${x.shape.length}`;
  if (x.dtype !== "float32") return `${x.dtype} tensor`;
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
  );
  const p = info.padInfo;
  const symmetric = p.top === p.bottom && p.left === p.right;
  if (!symmetric && !max) return "asymmetric padding";
  if (symmetric && (2 * p.top > info.filterHeight || 2 * p.left > info.filterWidth)) {
    return "padding wider than half the window";
  }
  return geometry(info, [info.filterHeight, info.filterWidth]);
}

function pool(name: string, op: string, max: boolean) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { x } = named(args);
    const g = poolGeometry(x, args.attrs as unknown as PoolAttrs, max);
    if (typeof g === "string") return runOnCpu(name, args, g);
    if (max && engine().state.gradientDepth > 0) return args.backend.runKeeping("maxpool_idx", [x], g)[0];
    return args.backend.run1(op, [x], g);
  };
}

function poolGrad(name: string, op: string, max: boolean) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { dy, input, output } = named(args);
    const g = poolGeometry(input, args.attrs as unknown as PoolAttrs, max);
    if (typeof g === "string") return runOnCpu(name, args, g);
    return (max && output && args.backend.runWithKept(op, [dy, input], output, g)?.[0]) ||
      args.backend.run1(op, [dy, input], g);
  };
}

/** Kernel configs of the pools. */
export function poolKernels(): KernelDef[] {
  return [
    kernel("MaxPool", pool("MaxPool", "maxpool", true)),
    kernel("AvgPool", pool("AvgPool", "avgpool", false)),
    kernel("MaxPoolGrad", poolGrad("MaxPoolGrad", "maxpool_bwd", true)),
    kernel("AvgPoolGrad", poolGrad("AvgPoolGrad", "avgpool_bwd", false)),
  ];
}
