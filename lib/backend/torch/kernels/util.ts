/**
 * Shared pieces of the torch kernels: the kernel-config shape they return and typed access to a
 * call's named inputs.
 *
 * @example
 * ```ts
 * const defs = [kernel("Relu", (args) => args.backend.run1("relu", [named(args).x], []))];
 * ```
 * @module
 */
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { TorchArgs } from "../fallback.ts";

/** A kernel config without its backend name (registration adds "torch"). */
export type KernelDef = Omit<KernelConfig, "backendName">;

/** Wraps a typed torch kernel function as a tfjs kernel config. */
export function kernel(kernelName: string, fn: (args: TorchArgs) => TensorInfo | TensorInfo[]): KernelDef {
  return { kernelName, kernelFunc: fn as unknown as KernelFunc };
}

/** The call's inputs by name (absent optional inputs are undefined). */
export function named(args: TorchArgs): Record<string, TensorInfo> {
  return args.inputs as Record<string, TensorInfo>;
}

/** The call's inputs as a list (Concat, AddN, Pack pass arrays). */
export function listed(args: TorchArgs): TensorInfo[] {
  return Array.isArray(args.inputs) ? args.inputs : Object.values(args.inputs) as TensorInfo[];
}
