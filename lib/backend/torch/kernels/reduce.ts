/**
 * Reductions on libtorch: Sum, Mean, Max, Min, Prod, All, Any over any axes (keepDims or not), and
 * ArgMax/ArgMin (first index of the extreme, int32, as in tfjs).
 *
 * @example
 * ```ts
 * for (const k of reduceKernels()) registerKernel({ ...k, backendName: "torch" });
 * ```
 * @module
 */
import { type DataType, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { runOnCpu, type TorchArgs } from "../fallback.ts";
import { kernel, type KernelDef, named } from "./util.ts";

/** kernel → [shim op, name of its axis attribute, dtypes it takes, output dtype (x's own when absent)]. */
const REDUCTIONS: Record<string, [string, string, DataType[], DataType?]> = {
  Sum: ["sum", "axis", ["float32", "int32", "bool"], undefined],
  Mean: ["mean", "axis", ["float32"]],
  Max: ["max", "reductionIndices", ["float32", "int32"]],
  Min: ["min", "axis", ["float32", "int32"]],
  Prod: ["prod", "axis", ["float32", "int32"]],
  All: ["all", "axis", ["bool"], "bool"],
  Any: ["any", "axis", ["bool"], "bool"],
};

function reduce(name: string, [op, axisAttr, dtypes, out]: [string, string, DataType[], DataType?]) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { x } = named(args);
    if (!dtypes.includes(x.dtype)) return runOnCpu(name, args, `${x.dtype} tensor`);
    const axes = util.parseAxisParam(args.attrs?.[axisAttr] as number | number[], x.shape);
    const keepDims = Boolean(args.attrs?.keepDims);
    const dtype = out ?? (x.dtype === "bool" ? "int32" : x.dtype);
    return args.backend.run1(op, [x], [keepDims ? 1 : 0, axes.length, ...axes], dtype);
  };
}

function arg(name: string, op: string) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { x } = named(args);
    if (x.dtype !== "float32" && x.dtype !== "int32") return runOnCpu(name, args, `${x.dtype} tensor`);
    const [axis] = util.parseAxisParam(args.attrs?.axis as number, x.shape);
    return args.backend.run1(op, [x], [axis], "int32");
  };
}

/** Kernel configs of the reductions. */
export function reduceKernels(): KernelDef[] {
  return [
    ...Object.entries(REDUCTIONS).map(([name, spec]) => kernel(name, reduce(name, spec))),
    kernel("ArgMax", arg("ArgMax", "argmax")),
    kernel("ArgMin", arg("ArgMin", "argmin")),
  ];
}
