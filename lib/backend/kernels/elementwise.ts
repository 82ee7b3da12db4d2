/**
 * Elementwise and reduction kernels that dominate the non-conv part of a training step (batch-norm
 * statistics and its composite gradient, ReLU and its gradient, Adam updates): broadcasting binary
 * ops, unary ops, Sum/Mean over a contiguous run of axes, Tile and FusedBatchNorm, as OpenMP loops.
 * tfjs's cpu versions go through per-element index arithmetic (broadcasts) or a transpose (Sum over
 * leading axes), which made them ~90% of a step once convolutions were native.
 *
 * @example
 * ```ts
 * for (const k of elementwiseKernels(ctx)) registerKernel({ ...k, backendName: "fer-native" });
 * ```
 * @module
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { cpuKernel, f32, isF32, type KernelArgs, type KernelContext, output } from "./util.ts";

const BINARY = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  SquaredDifference: 4,
  Maximum: 5,
  Minimum: 6,
} as const;
const UNARY = {
  Relu: 0,
  Step: 1,
  Square: 2,
  Sqrt: 3,
  Rsqrt: 4,
  Neg: 5,
  Exp: 6,
  Log: 7,
  Abs: 8,
};

/** Broadcast of two shapes as collapsed dims with per-input element strides (0 = broadcast). */
export interface BroadcastPlan {
  outShape: number[];
  dims: BigInt64Array;
  sa: BigInt64Array;
  sb: BigInt64Array;
}

/**
 * Computes the loop nest for `a OP b`, merging adjacent dims that both inputs walk alike.
 * `outShape` (default: the broadcast of both) may be larger, to broadcast both inputs up to it.
 */
export function broadcastPlan(aShape: number[], bShape: number[], outShape?: number[]): BroadcastPlan {
  outShape ??= backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const r = outShape.length;
  const pad = (s: number[]) => [...new Array(r - s.length).fill(1), ...s];
  const strides = (s: number[]) => {
    const st = new Array(r).fill(0);
    let acc = 1;
    for (let i = r - 1; i >= 0; i--) {
      st[i] = s[i] === 1 ? 0 : acc;
      acc *= s[i];
    }
    return st;
  };
  const pa = strides(pad(aShape)), pb = strides(pad(bShape));
  const dims: number[] = [], sa: number[] = [], sb: number[] = [];
  for (let i = 0; i < r; i++) {
    if (outShape[i] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && sa[k] === pa[i] * outShape[i] && sb[k] === pb[i] * outShape[i]) {
      dims[k] *= outShape[i];
      sa[k] = pa[i];
      sb[k] = pb[i];
    } else {
      dims.push(outShape[i]);
      sa.push(pa[i]);
      sb.push(pb[i]);
    }
  }
  if (dims.length === 0) dims.push(1), sa.push(0), sb.push(0);
  const big = (v: number[]) => BigInt64Array.from(v, (x) => BigInt(x));
  return { outShape, dims: big(dims), sa: big(sa), sb: big(sb) };
}

/** Native binary op codes of fer_binary (see native/fer_kernels.cc). */
export const BINARY_OPS = { ...BINARY, ReluGrad: 7, SquareGrad: 8 } as const;

/** Runs fer_binary on two float32 arrays; returns the result values (shape: plan.outShape). */
export function runBinary(
  lib: KernelContext["lib"],
  op: number,
  a: Float32Array,
  b: Float32Array,
  plan: BroadcastPlan,
): Float32Array {
  const y = new Float32Array(util.sizeFromShape(plan.outShape));
  lib.check(lib.symbols.fer_binary(op, a, b, y, plan.dims.length, plan.dims, plan.sa, plan.sb), `binary op ${op}`);
  return y;
}

/** [outer, reduced, inner] sizes when `axes` are one contiguous run (ignoring size-1 dims), else undefined. */
export function reductionSplit(shape: number[], axes: number[]): [number, number, number] | undefined {
  const real = axes.filter((a) => shape[a] !== 1).sort((p, q) => p - q);
  if (real.length === 0) return undefined;
  for (let i = real[0]; i <= real[real.length - 1]; i++) {
    if (shape[i] !== 1 && !real.includes(i)) return undefined;
  }
  const prod = (s: number[]) => s.reduce((p, q) => p * q, 1);
  return [prod(shape.slice(0, real[0])), prod(real.map((a) => shape[a])), prod(shape.slice(real[real.length - 1] + 1))];
}

/** Kernel configs (without backendName) for elementwise ops, reductions, Tile and FusedBatchNorm. */
export function elementwiseKernels(ctx: KernelContext): Omit<KernelConfig, "backendName">[] {
  const { lib } = ctx;
  const s = lib.symbols;
  const fallback = (name: string, args: KernelArgs) => cpuKernel(name)(args as Parameters<KernelFunc>[0]) as TensorInfo;

  const binary = (name: string) => (args: KernelArgs): TensorInfo => {
    const { a, b } = args.inputs as Record<string, TensorInfo>;
    if (!isF32(args.backend, a, b) || util.sizeFromShape(a.shape) === 0 || util.sizeFromShape(b.shape) === 0) {
      return fallback(name, args);
    }
    const plan = broadcastPlan(a.shape, b.shape);
    return output(
      args.backend,
      plan.outShape,
      runBinary(lib, BINARY[name as keyof typeof BINARY], f32(args.backend, a), f32(args.backend, b), plan),
    );
  };

  const unary = (name: string) => (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    if (!isF32(args.backend, x)) return fallback(name, args);
    const xv = f32(args.backend, x);
    const y = new Float32Array(xv.length);
    const alpha = name === "Step" ? (args.attrs?.alpha as number | undefined) ?? 0 : 0;
    lib.check(s.fer_unary(UNARY[name as keyof typeof UNARY], xv, y, BigInt(xv.length), alpha), name);
    return output(args.backend, [...x.shape], y);
  };

  const reduce = (name: "Sum" | "Mean") => (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = util.parseAxisParam(axis, x.shape);
    const split = reductionSplit(x.shape, axes);
    if (!isF32(args.backend, x) || split === undefined || util.sizeFromShape(x.shape) === 0) {
      return fallback(name, args);
    }
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const y = new Float32Array(split[0] * split[2]);
    lib.check(
      s.fer_reduce(
        name === "Sum" ? 0 : 1,
        f32(args.backend, x),
        y,
        BigInt(split[0]),
        BigInt(split[1]),
        BigInt(split[2]),
      ),
      name,
    );
    return output(args.backend, shape, y);
  };

  const tile = (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as unknown as { reps: number[] }).reps;
    if (!isF32(args.backend, x) || x.shape.length === 0 || util.sizeFromShape(x.shape) === 0) {
      return fallback("Tile", args);
    }
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const y = new Float32Array(util.sizeFromShape(outShape));
    const big = (v: number[]) => BigInt64Array.from(v, (q) => BigInt(q));
    lib.check(s.fer_tile(f32(args.backend, x), y, x.shape.length, big(x.shape), big(outShape)), "Tile");
    return output(args.backend, outShape, y);
  };

  const batchNorm = (args: KernelArgs): TensorInfo => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const eps = (args.attrs?.varianceEpsilon as number | undefined) ?? 0.001;
    if (!x || !mean || !variance || !isF32(args.backend, x, mean, variance, offset, scale) || x.shape.length === 0) {
      return fallback("FusedBatchNorm", args);
    }
    const c = x.shape[x.shape.length - 1];
    const per = (t: TensorInfo | undefined, dflt: number): Float32Array | undefined => {
      if (!t) return new Float32Array(c).fill(dflt);
      const v = f32(args.backend, t);
      if (v.length === c) return v;
      if (v.length === 1) return new Float32Array(c).fill(v[0]);
      return undefined;
    };
    const m = per(mean, 0), va = per(variance, 1), off = per(offset, 0), sc = per(scale, 1);
    if (!m || !va || !off || !sc) return fallback("FusedBatchNorm", args);
    const inv = new Float32Array(c);
    for (let i = 0; i < c; i++) inv[i] = sc[i] / Math.sqrt(va[i] + eps);
    const xv = f32(args.backend, x);
    const y = new Float32Array(xv.length);
    lib.check(s.fer_batchnorm(xv, m, inv, off, y, BigInt(xv.length / c), BigInt(c)), "FusedBatchNorm");
    return output(args.backend, [...x.shape], y);
  };

  return [
    ...Object.keys(BINARY).map((n) => ({ kernelName: n, kernelFunc: binary(n) as unknown as KernelFunc })),
    ...Object.keys(UNARY).map((n) => ({ kernelName: n, kernelFunc: unary(n) as unknown as KernelFunc })),
    { kernelName: "Sum", kernelFunc: reduce("Sum") as unknown as KernelFunc },
    { kernelName: "Mean", kernelFunc: reduce("Mean") as unknown as KernelFunc },
    { kernelName: "Tile", kernelFunc: tile as unknown as KernelFunc },
    { kernelName: "FusedBatchNorm", kernelFunc: batchNorm as unknown as KernelFunc },
  ];
}
