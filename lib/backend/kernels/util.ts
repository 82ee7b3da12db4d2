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
import { backend_util, getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from "@tensorflow/tfjs-core";
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

/** A Conv2DBackpropFilter call read off tfjs's kernel arguments: the tensors and the conv geometry. */
export interface FilterGradCall {
  x: TensorInfo;
  dy: TensorInfo;
  filterShape: [number, number, number, number];
  info: backend_util.Conv2DInfo;
}

/**
 * Reads a Conv2DBackpropFilter call (shared by fer-native and the patched pure-JS cpu kernel); null when
 * it is not NHWC float32, which the callers leave to tfjs's own kernel.
 *
 * @example
 * ```ts
 * const call = filterGradCall(args.inputs, args.attrs);
 * if (!call) return fallback(args);
 * ```
 */
export function filterGradCall(
  inputs: Record<string, TensorInfo | undefined>,
  attrs: NamedAttrMap | undefined,
): FilterGradCall | null {
  const { x, dy } = inputs;
  const a = attrs as unknown as {
    filterShape: [number, number, number, number];
    strides: number | [number, number];
    pad: "valid" | "same" | number | backend_util.ExplicitPadding;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  if (!x || !dy || a.dataFormat !== "NHWC" || x.dtype !== "float32" || dy.dtype !== "float32") return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
  return { x, dy, filterShape: a.filterShape, info };
}
