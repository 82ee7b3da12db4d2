/**
 * The torch backend's fallback: a kernel that libtorch does not cover (or a case one of its kernels
 * declines) runs tfjs's cpu kernel on host copies of its inputs, and its outputs are copied back into
 * libtorch. Each kernel name prints one notice the first time, so nothing gets silently slow.
 *
 * @example
 * ```ts
 * registerKernel({ kernelName: "Cumsum", backendName: "torch", kernelFunc: viaCpu("Cumsum") });
 * ```
 * @module
 */
import {
  engine,
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { TorchBackend } from "./backend.ts";

/** Arguments of a torch kernel, as tfjs passes them. */
export interface TorchArgs {
  inputs: NamedTensorInfoMap | TensorInfo[];
  backend: TorchBackend;
  attrs?: NamedAttrMap;
}

const noticed = new Map<string, string>();

/** Kernel names that have run through the host so far, with the reason of the first time. */
export function fallbackNotices(): ReadonlyMap<string, string> {
  return noticed;
}

/** Runs tfjs's cpu kernel `name` for a torch kernel call (see the module doc). */
export function runOnCpu(name: string, args: TorchArgs, reason = "no libtorch kernel"): TensorInfo | TensorInfo[] {
  if (!noticed.has(name)) {
    noticed.set(name, reason);
    console.error(`torch: ${name} runs on tfjs's cpu kernel through the host (${reason})`);
  }
  const k = getKernel(name, "cpu");
  if (!k) throw new Error(`torch: no libtorch kernel for ${name} and no cpu kernel to fall back to`);
  const torch = args.backend;
  const cpu = engine().findBackend("cpu") as MathBackendCPU;
  const made: TensorInfo[] = [];
  const toCpu = (t: TensorInfo | undefined): TensorInfo | undefined => {
    if (t === undefined || t === null) return t;
    const info = { dataId: cpu.write(torch.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
    made.push(info);
    return info;
  };
  const inputs = Array.isArray(args.inputs)
    ? args.inputs.map((t) => toCpu(t)!)
    : Object.fromEntries(Object.entries(args.inputs).map(([key, t]) => [key, toCpu(t)]));
  try {
    const out = k.kernelFunc({ inputs, backend: cpu, attrs: args.attrs } as Parameters<KernelFunc>[0]);
    const outs = Array.isArray(out) ? out : [out];
    const back = outs.map((o) => {
      const info = torch.makeTensorInfo(o.shape, o.dtype, cpu.readSync(o.dataId));
      cpu.disposeData(o.dataId);
      return info;
    });
    return Array.isArray(out) ? back : back[0];
  } finally {
    for (const t of made) cpu.disposeData(t.dataId);
  }
}

/** A kernel function that always runs through the host. */
export function viaCpu(name: string): KernelFunc {
  return ((args: TorchArgs) => runOnCpu(name, args)) as unknown as KernelFunc;
}
