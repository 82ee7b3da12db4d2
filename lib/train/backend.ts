/**
 * Picks and initialises the TensorFlow.js backend, and says which one and why.
 *
 * `auto` order: tfjs-node-gpu / tfjs-node when the user has added it to deno.json's imports (never
 * a dependency of this project), then WebGPU when `navigator.gpu` gives a hardware adapter (a
 * software fallback adapter such as llvmpipe is slower than the CPU paths and is skipped), then the
 * project's native CPU backend "fer-native" when it loads, else tfjs' plain "cpu".
 *
 * Every backend registers with the single `@tensorflow/tfjs-core` instance the import map pins
 * (tfjs-layers resolves the same one), so models built anywhere run on the chosen backend.
 *
 * @example
 * ```ts
 * const { backend, reason } = await selectBackend("auto");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { patchCpuKernels } from "./cpu_kernels.ts";

/** Names accepted by `--backend`. */
export const BACKEND_NAMES = ["auto", "tensorflow", "webgpu", "wasm", "cpu", "fer-native"] as const;
/** A backend request. */
export type BackendName = typeof BACKEND_NAMES[number];

/** The chosen backend and a human reason. */
export interface BackendChoice {
  backend: string;
  reason: string;
}

let adapterPromise: Promise<GPUAdapter | null> | null = null;

/** The one WebGPU adapter of this process (requested once: re-requesting is unreliable in Deno). */
export function gpuAdapter(): Promise<GPUAdapter | null> {
  if (!adapterPromise) {
    adapterPromise = "gpu" in navigator && navigator.gpu
      ? navigator.gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() => null)
      : Promise.resolve(null);
  }
  return adapterPromise;
}

/** Describes an adapter: `NVIDIA H100 (vendor 0x10de)` or llvmpipe's description. */
export function describeAdapter(a: GPUAdapter): string {
  const i = a.info;
  return [i.description || i.device || "unknown GPU", i.vendor ? `vendor ${i.vendor}` : "", i.architecture]
    .filter(Boolean).join(", ") + (i.isFallbackAdapter ? " (software fallback)" : "");
}

async function useTensorflow(): Promise<BackendChoice> {
  const errors: string[] = [];
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      const spec = pkg; // a variable: resolved at run time through the user's import map only
      await import(spec);
      if (await tf.setBackend("tensorflow")) return { backend: "tensorflow", reason: `${pkg} is installed` };
      errors.push(`${pkg} loaded but the "tensorflow" backend did not initialise`);
    } catch (e) {
      const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
      errors.push(/not in import map|not a dependency/.test(msg) ? `${pkg} not installed` : `${pkg}: ${msg}`);
    }
  }
  throw new Error(
    `no TensorFlow native backend: ${errors.join("; ")}. To use one, add e.g. ` +
      `"@tensorflow/tfjs-node-gpu": "npm:@tensorflow/tfjs-node-gpu@4.22.0" to deno.json imports`,
  );
}

async function useWebgpu(allowFallback: boolean): Promise<BackendChoice> {
  const adapter = await gpuAdapter();
  if (!adapter) throw new Error("no WebGPU adapter (navigator.gpu missing or requestAdapter gave none)");
  if (adapter.info.isFallbackAdapter && !allowFallback) {
    throw new Error(`only a software WebGPU adapter (${describeAdapter(adapter)})`);
  }
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  tf.removeBackend("webgpu"); // the package registers a factory that requests a second adapter
  tf.registerBackend("webgpu", async () => {
    const l = adapter.limits;
    const requiredFeatures: GPUFeatureName[] = adapter.features.has("timestamp-query") ? ["timestamp-query"] : [];
    const device = await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      },
    });
    // deno-lint-ignore no-explicit-any
    return new WebGPUBackend(device, adapter.info as any);
  }, 3);
  if (!(await tf.setBackend("webgpu"))) {
    throw new Error(`WebGPU backend failed to initialise on ${describeAdapter(adapter)}`);
  }
  return { backend: "webgpu", reason: `WebGPU adapter ${describeAdapter(adapter)}` };
}

async function useWasm(): Promise<BackendChoice> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url).href);
  if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend failed to initialise");
  return { backend: "wasm", reason: "requested" };
}

async function useNative(): Promise<BackendChoice> {
  const path = "../backend/native.ts"; // lands with the fast-CPU work; absent → clear error
  const mod = await import(path).catch((e) => {
    throw new Error(`fer-native is not available (${path}: ${e instanceof Error ? e.message.split("\n")[0] : e})`);
  });
  const r = await mod.registerNativeBackend();
  if (!r.ok) throw new Error(`fer-native did not load: ${r.reason}`);
  if (!(await tf.setBackend(r.backend))) throw new Error("fer-native registered but failed to initialise");
  return { backend: r.backend, reason: r.reason || "native CPU kernels loaded" };
}

async function useCpu(): Promise<BackendChoice> {
  await tf.setBackend("cpu");
  patchCpuKernels();
  return { backend: "cpu", reason: "tfjs plain JavaScript CPU kernels (faster conv filter gradient)" };
}

/** Selects and initialises a backend; prints `backend: <name> (<reason>)` to stderr unless quiet. */
export async function selectBackend(name: BackendName, opts: { quiet?: boolean } = {}): Promise<BackendChoice> {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown backend "${name}" (have ${BACKEND_NAMES.join(", ")})`);
  }
  let choice: BackendChoice;
  if (name === "auto") {
    const skipped: string[] = [];
    choice = await firstOk([
      () => useTensorflow(),
      () => useWebgpu(false),
      () => useNative(),
    ], skipped) ?? await useCpu();
    choice = { backend: choice.backend, reason: `auto: ${[...skipped, choice.reason].join("; ")}` };
  } else {
    const run = {
      tensorflow: useTensorflow,
      webgpu: () => useWebgpu(true),
      wasm: useWasm,
      cpu: useCpu,
      "fer-native": useNative,
    }[name];
    choice = await run();
  }
  await tf.ready();
  // tfjs' CPU backends print an "install tfjs-node" banner on their first tensor under Node-like runtimes
  // (every notebook and command here); which backend runs, and why, is said here instead.
  const active = tf.backend() as { firstUse?: boolean };
  if (active.firstUse) active.firstUse = false;
  if (!opts.quiet) console.error(`backend: ${choice.backend} (${choice.reason})`);
  return choice;
}

async function firstOk(tries: (() => Promise<BackendChoice>)[], skipped: string[]): Promise<BackendChoice | null> {
  for (const t of tries) {
    try {
      return await t();
    } catch (e) {
      skipped.push(`skipped: ${e instanceof Error ? e.message.split(". To use")[0] : e}`);
    }
  }
  return null;
}
