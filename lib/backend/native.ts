/**
 * The "fer-native" tfjs backend: fast CPU training in Deno.
 *
 * Design note (issue 7). tfjs's pure-JS cpu backend trains a small VGG at ~0.014 img/s, wasm cannot
 * train at all (no Conv2DBackpropFilter) and is single-threaded under Deno. Three ways were weighed:
 * hand-written WebAssembly SIMD kernels (portable, but no threads under Deno and a long way from a
 * tuned GEMM), WebGPU (only a software driver on CPU machines) and native kernels through Deno FFI.
 * We take the last: a small C++ library (native/fer_kernels.cc) built by the project itself with the
 * system g++ against oneDNN (Debian `libdnnl-dev`), the library PyTorch itself uses for CPU
 * convolutions. oneDNN JIT-compiles AVX2/AVX-512 code for conv forward, backward-data and
 * backward-weights, and works directly on tfjs's NHWC activations and HWIO filters, so no layout
 * copies are made. Pooling, batch-norm and the elementwise/reduction ops that dominate the rest of
 * a training step are OpenMP loops in the same library.
 *
 * The backend is tfjs-backend-cpu's MathBackendCPU (data stays in JS TypedArrays, handed to C by
 * pointer); every "cpu" kernel is registered for "fer-native" too, and the hot ones are replaced.
 * Each native kernel falls back to the reference cpu kernel for cases it does not cover (NCHW,
 * int dtypes, exotic broadcasting). Once convolutions were native, the rest of a step was
 * dominated by (a) page faults on fresh 20 MB outputs (fixed with transparent huge pages),
 * (b) tfjs's composite gradients of BatchNorm/Mean/Square/ReLU (~20 full-size passes per BN layer;
 * gradients.ts swaps in one-pass kernels while fer-native is active) and (c) Adam's ~12 ops per
 * variable (adam.ts: one native pass, same formula). Both patches leave other backends untouched.
 * Measured (bench/train.ts, 2 shared cores, interleaved with PyTorch 1.13, 2 threads, batch 32):
 * training img/s 1.17× PyTorch's at 48×48 and 0.88× at 96×96 (0.7–0.95× with the machine at load
 * 6–9); inference 1.5–1.8×. The pure-JS cpu backend trains at ~0.006 img/s (≈0.0002×).
 *
 * If the library cannot be built or loaded (no compiler, no oneDNN) {@link registerNativeBackend}
 * returns ok=false with the reason and nothing is registered; `FER_THREADS` sets the thread count.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const r = await registerNativeBackend();
 * if (r.ok) await tf.setBackend(r.backend); else console.warn(r.reason);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { installNativeAdam } from "./adam.ts";
import { buildNative } from "./build.ts";
import { type NativeLib, openNative } from "./ffi.ts";
import { convKernels } from "./kernels/conv.ts";
import { poolKernels } from "./kernels/pool.ts";
import { matmulKernels } from "./kernels/matmul.ts";
import { elementwiseKernels } from "./kernels/elementwise.ts";
import { gradKernels } from "./kernels/grads.ts";
import { layoutKernels } from "./kernels/layout.ts";
import { installNativeGradients } from "./gradients.ts";
import type { KernelContext } from "./kernels/util.ts";

/** Name of the backend registered by {@link registerNativeBackend}. */
export const NATIVE_BACKEND = "fer-native";

/** Options of {@link registerNativeBackend}. */
export interface NativeBackendOptions {
  /** Compile the library when it is missing (default true); false only loads an existing build. */
  build?: boolean;
  /** OpenMP threads for the native kernels (default: env FER_THREADS, else all cores). */
  threads?: number;
  /** Backend priority in tfjs's registry (default 0: never chosen implicitly). */
  priority?: number;
}

/** Outcome of {@link registerNativeBackend}. */
export interface NativeBackendResult {
  ok: boolean;
  backend: string;
  reason: string;
}

let registered: Promise<NativeBackendResult> | undefined;
let native: NativeLib | undefined;

/** Names of the kernels that have a native implementation. */
export function nativeKernelNames(): string[] {
  if (!native) return [];
  return kernelConfigs({ lib: native, backendName: NATIVE_BACKEND }).map((k) => k.kernelName);
}

function kernelConfigs(ctx: KernelContext): Omit<tf.KernelConfig, "backendName">[] {
  return [
    ...convKernels(ctx),
    ...poolKernels(ctx),
    ...matmulKernels(ctx),
    ...elementwiseKernels(ctx),
    ...gradKernels(ctx),
    ...layoutKernels(ctx),
  ];
}

async function register(opts: NativeBackendOptions): Promise<NativeBackendResult> {
  const fail = (reason: string): NativeBackendResult => ({ ok: false, backend: NATIVE_BACKEND, reason });
  if (Deno.build.os !== "linux") return fail(`fer-native supports Linux only (this is ${Deno.build.os})`);
  let path: string;
  if (opts.build === false) {
    const { nativeLibraryPath } = await import("./build.ts");
    path = await nativeLibraryPath();
  } else {
    const b = await buildNative();
    if (!b.ok) return fail(b.reason);
    path = b.path;
  }
  const envThreads = Number(Deno.env.get("FER_THREADS") ?? "0");
  const threads = opts.threads ?? (envThreads > 0 ? envThreads : navigator.hardwareConcurrency);
  try {
    native = openNative(path, threads);
  } catch (e) {
    return fail(`cannot load ${path}: ${(e as Error).message}`);
  }
  await import("@tensorflow/tfjs-backend-cpu"); // registers "cpu" and its kernels
  await import("@tensorflow/tfjs-layers"); // registers tfjs's gradients (tfjs-core alone does not)
  if (!tf.findBackendFactory(NATIVE_BACKEND)) {
    tf.registerBackend(NATIVE_BACKEND, () => new MathBackendCPU(), opts.priority ?? 0);
  }
  const lib = native;
  const ctx: KernelContext = { lib, backendName: NATIVE_BACKEND };
  const overrides = new Map(kernelConfigs(ctx).map((k) => [k.kernelName, k]));
  for (const k of tf.getKernelsForBackend("cpu")) {
    const own = overrides.get(k.kernelName);
    tf.registerKernel({ ...k, ...(own ?? {}), backendName: NATIVE_BACKEND });
  }
  for (const [name, k] of overrides) {
    if (!tf.getKernel(name, NATIVE_BACKEND)) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  installNativeAdam(lib, NATIVE_BACKEND);
  installNativeGradients(NATIVE_BACKEND);
  return { ok: true, backend: NATIVE_BACKEND, reason: `native kernels loaded from ${path} (${threads} threads)` };
}

/**
 * Builds (once, cached by source hash) and loads the native kernels, and registers the
 * "fer-native" backend. Safe to call many times: later calls return the first result.
 * Does not switch backends; call `tf.setBackend(result.backend)` when ok.
 */
export function registerNativeBackend(opts: NativeBackendOptions = {}): Promise<NativeBackendResult> {
  registered ??= register(opts);
  return registered;
}
