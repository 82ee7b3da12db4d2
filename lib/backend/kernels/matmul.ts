/**
 * BatchMatMul and _FusedMatMul on oneDNN's sgemm (row-major, per batch; a batch of 1 broadcasts).
 * The fused epilogue (bias add, activation) runs through the backend's own Add kernel and
 * {@link applyActivationInPlace}.
 *
 * @example
 * ```ts
 * for (const k of matmulKernels(ctx)) registerKernel({ ...k, backendName: "fer-native" });
 * ```
 * @module
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { applyActivationInPlace } from "./conv.ts";
import { cpuKernel, f32, isF32, type KernelArgs, type KernelContext, output, runKernel } from "./util.ts";

const size = (s: number[]) => s.reduce((p, q) => p * q, 1);

/** Kernel configs (without backendName) for matrix products. */
export function matmulKernels(ctx: KernelContext): Omit<KernelConfig, "backendName">[] {
  const { lib, backendName } = ctx;

  /** Native product, or undefined when the shapes need the reference kernel. */
  const product = (args: KernelArgs): TensorInfo | undefined => {
    const { a, b } = args.inputs as Record<string, TensorInfo>;
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!isF32(args.backend, a, b) || a.shape.length < 2 || b.shape.length < 2) return undefined;
    const ra = a.shape.length, rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const batchA = size(a.shape.slice(0, -2)), batchB = size(b.shape.slice(0, -2));
    if (k !== kb || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return undefined;
    const outer = batchA >= batchB ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
    const batch = Math.max(batchA, batchB);
    const c = new Float32Array(batch * m * n);
    lib.check(
      lib.symbols.fer_matmul(
        f32(args.backend, a),
        f32(args.backend, b),
        c,
        batch,
        m,
        n,
        k,
        transposeA ? 1 : 0,
        transposeB ? 1 : 0,
        BigInt(batchA === 1 ? 0 : m * k),
        BigInt(batchB === 1 ? 0 : k * n),
      ),
      "BatchMatMul",
    );
    return output(args.backend, [...outer, m, n], c);
  };

  const batchMatMul = (args: KernelArgs): TensorInfo =>
    product(args) ?? (cpuKernel("BatchMatMul")(args as Parameters<KernelFunc>[0]) as TensorInfo);

  const fusedMatMul = (args: KernelArgs): TensorInfo => {
    const { bias, preluActivationWeights } = args.inputs;
    const { activation, leakyreluAlpha } = args.attrs as unknown as { activation?: string; leakyreluAlpha?: number };
    const act = activation ?? "linear";
    if (
      preluActivationWeights !== undefined || !["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"].includes(act)
    ) {
      return cpuKernel("_FusedMatMul")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const prod = product(args);
    if (!prod) return cpuKernel("_FusedMatMul")(args as Parameters<KernelFunc>[0]) as TensorInfo;
    let cur = prod;
    if (bias) {
      cur = runKernel(backendName, "Add", { inputs: { a: prod, b: bias }, backend: args.backend });
      args.backend.disposeIntermediateTensorInfo(prod);
    }
    applyActivationInPlace(f32(args.backend, cur), act, leakyreluAlpha);
    return cur;
  };

  return [
    { kernelName: "BatchMatMul", kernelFunc: batchMatMul as unknown as KernelFunc },
    { kernelName: "_FusedMatMul", kernelFunc: fusedMatMul as unknown as KernelFunc },
  ];
}
