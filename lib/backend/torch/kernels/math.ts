/**
 * Element-wise kernels on libtorch: broadcasting binary ops and comparisons, unary math, activations, Cast,
 * ClipByValue, Select (where), AddN, Softmax, the matmuls (BatchMatMul, _FusedMatMul with bias and activation), and
 * TorchAddScaled: [a0, b0, a1, b1, …] attrs {alpha} → each a_k + alpha·b_k, every pair in one call (weight decay on a
 * step's gradients, ../../add_scaled.ts). Output dtypes follow tfjs (comparisons give bool, sums of int32 stay int32);
 * a dtype a kernel does not take runs on the cpu kernel with a notice.
 *
 * @example
 * ```ts
 * for (const k of mathKernels()) registerKernel({ ...k, backendName: "torch" });
 * ```
 * @module
 */
import type { DataType, TensorInfo } from "@tensorflow/tfjs-core";
import { DTYPE_CODE } from "../ffi.ts";
import { runOnCpu, type TorchArgs } from "../fallback.ts";
import { ACTIVATIONS } from "./conv.ts";
import { kernel, type KernelDef, listed, named } from "./util.ts";

/** Name of the kernel of a_k + alpha·b_k over pairs. */
export const ADD_SCALED = "TorchAddScaled";

/** Which dtypes a kernel takes and what it returns. */
type Rule = "numeric" | "float" | "compare" | "logical";

const BINARY: Record<string, [string, Rule]> = {
  Add: ["add", "numeric"],
  Sub: ["sub", "numeric"],
  Multiply: ["mul", "numeric"],
  RealDiv: ["div", "float"],
  FloorDiv: ["floordiv", "numeric"],
  Mod: ["mod", "numeric"],
  Pow: ["pow", "numeric"],
  Maximum: ["maximum", "numeric"],
  Minimum: ["minimum", "numeric"],
  SquaredDifference: ["sqdiff", "numeric"],
  Atan2: ["atan2", "float"],
  Equal: ["eq", "compare"],
  NotEqual: ["ne", "compare"],
  Greater: ["gt", "compare"],
  GreaterEqual: ["ge", "compare"],
  Less: ["lt", "compare"],
  LessEqual: ["le", "compare"],
  LogicalAnd: ["and", "logical"],
  LogicalOr: ["or", "logical"],
};

const UNARY: Record<string, [string, Rule]> = {
  Abs: ["abs", "numeric"],
  Neg: ["neg", "numeric"],
  Square: ["square", "numeric"],
  Relu: ["relu", "numeric"],
  Relu6: ["relu6", "numeric"],
  Sign: ["sign", "numeric"],
  Exp: ["exp", "float"],
  Expm1: ["expm1", "float"],
  Log: ["log", "float"],
  Log1p: ["log1p", "float"],
  Sqrt: ["sqrt", "float"],
  Rsqrt: ["rsqrt", "float"],
  Reciprocal: ["reciprocal", "float"],
  Elu: ["elu", "float"],
  Selu: ["selu", "float"],
  Sigmoid: ["sigmoid", "float"],
  Tanh: ["tanh", "float"],
  Softplus: ["softplus", "float"],
  Sin: ["sin", "float"],
  Cos: ["cos", "float"],
  Tan: ["tan", "float"],
  Asin: ["asin", "float"],
  Acos: ["acos", "float"],
  Atan: ["atan", "float"],
  Sinh: ["sinh", "float"],
  Cosh: ["cosh", "float"],
  Asinh: ["asinh", "float"],
  Acosh: ["acosh", "float"],
  Atanh: ["atanh", "float"],
  Erf: ["erf", "float"],
  Floor: ["floor", "float"],
  Ceil: ["ceil", "float"],
  Round: ["round", "float"],
  IsNan: ["isnan", "compare"],
  IsInf: ["isinf", "compare"],
  IsFinite: ["isfinite", "compare"],
  LogicalNot: ["not", "logical"],
};

/** The output dtype for inputs of `dtype`, or null when the rule does not take that dtype. */
function outDtype(rule: Rule, dtype: DataType): DataType | null {
  switch (rule) {
    case "numeric":
      return dtype === "float32" || dtype === "int32" ? dtype : null;
    case "float":
      return dtype === "float32" ? "float32" : null;
    case "compare":
      return dtype === "float32" || dtype === "int32" || dtype === "bool" ? "bool" : null;
    case "logical":
      return dtype === "bool" ? "bool" : null;
  }
}

function binary(name: string, op: string, rule: Rule) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { a, b } = named(args);
    const dt = a.dtype === b.dtype ? outDtype(rule, a.dtype) : null;
    if (!dt) return runOnCpu(name, args, `${a.dtype}, ${b.dtype} tensors`);
    return args.backend.run1(op, [a, b], [], dt);
  };
}

function unary(name: string, op: string, rule: Rule) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { x } = named(args);
    const dt = outDtype(rule, x.dtype);
    if (!dt) return runOnCpu(name, args, `${x.dtype} tensor`);
    return args.backend.run1(op, [x], [], dt);
  };
}

/** Unary kernels with attributes, or with other input names. */
function special(): KernelDef[] {
  const floatOnly = (name: string, args: TorchArgs, ts: TensorInfo[], run: () => TensorInfo) =>
    ts.every((t) => t.dtype === "float32") ? run() : runOnCpu(name, args, "non-float32 tensors");
  return [
    kernel("Step", (args) => {
      const { x } = named(args);
      return floatOnly("Step", args, [x], () => args.backend.run1("step", [x], [Number(args.attrs?.alpha ?? 0)]));
    }),
    kernel("LeakyRelu", (args) => {
      const { x } = named(args);
      return floatOnly("LeakyRelu", args, [x], () => args.backend.run1("leaky_relu", [x], [Number(args.attrs?.alpha)]));
    }),
    kernel("Prelu", (args) => {
      const { x, alpha } = named(args);
      return floatOnly("Prelu", args, [x, alpha], () => args.backend.run1("prelu", [x, alpha], []));
    }),
    kernel("EluGrad", (args) => {
      const { dy, y } = named(args);
      return floatOnly("EluGrad", args, [dy, y], () => args.backend.run1("elu_bwd", [dy, y], []));
    }),
    kernel("ClipByValue", (args) => {
      const { x } = named(args);
      if (x.dtype !== "float32" && x.dtype !== "int32") return runOnCpu("ClipByValue", args, `${x.dtype} tensor`);
      const { clipValueMin, clipValueMax } = args.attrs as { clipValueMin: number; clipValueMax: number };
      return args.backend.run1("clip", [x], [clipValueMin, clipValueMax], x.dtype);
    }),
    kernel("Cast", (args) => {
      const { x } = named(args);
      const dtype = args.attrs?.dtype as DataType;
      if (!(x.dtype in DTYPE_CODE) || !(dtype in DTYPE_CODE)) return runOnCpu("Cast", args, `${x.dtype} → ${dtype}`);
      return args.backend.run1("cast", [x], [DTYPE_CODE[dtype]], dtype);
    }),
    kernel("ZerosLike", (args) => {
      const { x } = named(args);
      if (!(x.dtype in DTYPE_CODE)) return runOnCpu("ZerosLike", args, `${x.dtype} tensor`);
      return args.backend.run1("zeros_like", [x], [], x.dtype);
    }),
    kernel("OnesLike", (args) => {
      const { x } = named(args);
      if (!(x.dtype in DTYPE_CODE)) return runOnCpu("OnesLike", args, `${x.dtype} tensor`);
      return args.backend.run1("ones_like", [x], [], x.dtype);
    }),
    kernel("Select", (args) => {
      const { condition, t, e } = named(args);
      if (condition.dtype !== "bool" || t.dtype !== e.dtype || !(t.dtype in DTYPE_CODE)) {
        return runOnCpu("Select", args, `${condition.dtype}/${t.dtype}/${e.dtype} tensors`);
      }
      return args.backend.run1("select", [condition, t, e], [], t.dtype);
    }),
    kernel("AddN", (args) => {
      const ts = listed(args);
      const dt = ts[0].dtype;
      if (!ts.every((t) => t.dtype === dt) || outDtype("numeric", dt) === null) {
        return runOnCpu("AddN", args, "mixed or non-numeric tensors");
      }
      return args.backend.run1("add_n", ts, [], dt);
    }),
    kernel(ADD_SCALED, (args) => {
      const ts = listed(args);
      if (ts.length % 2 !== 0 || !ts.every((t) => t.dtype === "float32")) {
        throw new Error(`${ADD_SCALED}: expected float32 pairs (a, b), got ${ts.map((t) => t.dtype)}`);
      }
      return args.backend.run("add_scaled", ts, [Number(args.attrs?.alpha)], undefined, ts.length / 2);
    }),
    kernel("Softmax", (args) => {
      const { logits } = named(args);
      const dim = Number(args.attrs?.dim ?? -1);
      return floatOnly("Softmax", args, [logits], () => args.backend.run1("softmax", [logits], [dim]));
    }),
  ];
}

function matmul(name: string, fused: boolean) {
  return (args: TorchArgs): TensorInfo | TensorInfo[] => {
    const { a, b, bias, preluActivationWeights: prelu } = named(args);
    const at = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
    const activation = fused ? at.activation ?? "linear" : "linear";
    if (![a, b, bias, prelu].every((t) => t === undefined || t.dtype === "float32")) {
      return runOnCpu(name, args, "non-float32 tensors");
    }
    if (!(activation in ACTIVATIONS)) return runOnCpu(name, args, `activation ${activation}`);
    return args.backend.run1("matmul", [a, b, bias, prelu], [
      at.transposeA ? 1 : 0,
      at.transposeB ? 1 : 0,
      ACTIVATIONS[activation],
      at.leakyreluAlpha ?? 0.2,
    ]);
  };
}

/** Kernel configs of the element-wise ops and matmuls. */
export function mathKernels(): KernelDef[] {
  return [
    ...Object.entries(BINARY).map(([name, [op, rule]]) => kernel(name, binary(name, op, rule))),
    ...Object.entries(UNARY).map(([name, [op, rule]]) => kernel(name, unary(name, op, rule))),
    ...special(),
    kernel("BatchMatMul", matmul("BatchMatMul", false)),
    kernel("_FusedMatMul", matmul("_FusedMatMul", true)),
  ];
}
