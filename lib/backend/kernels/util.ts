/**
 * Shared helpers of the native kernels: reading a tensor's Float32Array from the cpu backend's
 * storage, wrapping a result, and falling back to the reference "cpu" kernel.
 *
 * @example
 * ```ts
 * const xv = f32(backend, x);
 * return output(backend, x.shape, y);
 * ```
 * @module
 */
import { getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeLib } from "../ffi.ts";

/** What each kernel factory receives. */
export interface KernelContext {
  lib: NativeLib;
  /** Name of the backend the kernels are registered for. */
  backendName: string;
}

/** Arguments of a kernel function, typed loosely as tfjs passes them. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: MathBackendCPU;
  attrs?: NamedAttrMap;
}

/** A float32 tensor's values (throws on other dtypes: callers check {@link isF32} first). */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (!(v instanceof Float32Array)) throw new Error(`fer-native: expected float32 data, got ${t.dtype}`);
  return v;
}

/** True when every given tensor is float32 and stored as a Float32Array. */
export function isF32(backend: MathBackendCPU, ...ts: (TensorInfo | undefined)[]): boolean {
  return ts.every((t) =>
    t === undefined || (t.dtype === "float32" && backend.data.get(t.dataId).values instanceof Float32Array)
  );
}

/** Registers a result array as a new tensor of the backend. */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, "float32", values);
}

/** The reference cpu implementation of a kernel, used where a native one does not apply. */
export function cpuKernel(name: string): KernelFunc {
  const k = getKernel(name, "cpu");
  if (!k) throw new Error(`fer-native: no cpu kernel ${name} to fall back to`);
  return k.kernelFunc;
}

/** Runs another kernel of the given backend (e.g. "Add" after a native matmul). */
export function runKernel(backendName: string, name: string, args: KernelArgs): TensorInfo {
  const k = getKernel(name, backendName) ?? getKernel(name, "cpu");
  if (!k) throw new Error(`fer-native: kernel ${name} is not registered`);
  return k.kernelFunc(args as Parameters<KernelFunc>[0]) as TensorInfo;
}
