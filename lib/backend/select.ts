/**
 * Picks and initialises the TensorFlow.js backend, and says which one and why.
 *
 * `auto` order: tfjs-node-gpu / tfjs-node when the user has added it to deno.json's imports (never
 * a dependency of this project); then "torch" on CUDA when the libtorch found is a CUDA build and
 * sees a GPU; then "torch" on the CPU (libtorch's oneDNN kernels: the fastest CPU path by
 * `deno task bench train`, which retired the project's own oneDNN backend "fer-native"); then
 * WebGPU when `navigator.gpu` gives a hardware adapter (a software fallback adapter such as llvmpipe
 * is slower than the CPU paths and is skipped); else
 * tfjs' plain "cpu". A {@link Runtime}'s device, precision and threads go to the torch backend.
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
import {
  findTorch,
  type PrecisionRequest,
  registerTorchBackend,
  TORCH_BACKEND,
  type TorchDevice,
  torchRuntime,
} from "./torch/mod.ts";
import { BACKEND_NAMES, type BackendName, type RecordedRuntime, type Runtime, runtimeOf } from "./runtime.ts";
import { parseRuntime, type RuntimeInput } from "./runtime_flags.ts";

export { BACKEND_NAMES, type BackendName } from "./runtime.ts";

/** Options of {@link selectBackend}: the runtime's other fields (checked by parseRuntime), and quiet. */
export interface SelectOptions extends Omit<RuntimeInput, "backend"> {
  quiet?: boolean;
}

/** The chosen backend and a human reason. */
export interface BackendChoice {
  backend: string;
  reason: string;
  /** What run records call it, when more than its name: "torch (cuda:0, bf16)". */
  label?: string;
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

/** Registers the wasm backend with its .wasm files inside node_modules (no network). */
async function loadWasm(): Promise<void> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url).href);
}

async function useWasm(): Promise<BackendChoice> {
  await loadWasm();
  if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend failed to initialise");
  return { backend: "wasm", reason: "requested" };
}

async function useTorch(
  device: string,
  precision: PrecisionRequest,
  threads?: number,
  cudaOnly = false,
): Promise<BackendChoice> {
  if (cudaOnly) {
    const t = await findTorch();
    if (!t?.cuda) {
      throw new Error(`torch on CUDA: ${t ? `libtorch ${t.version} (${t.source}) is a CPU build` : "no libtorch"}`);
    }
  }
  const r = await registerTorchBackend({ device: device as TorchDevice, precision, threads });
  if (!r.ok) throw new Error(`torch did not load: ${r.reason}`);
  if (cudaOnly && r.device === "cpu") throw new Error("torch on CUDA: torch sees no CUDA device");
  if (!(await tf.setBackend(r.backend))) throw new Error("torch registered but failed to initialise");
  return { backend: r.backend, reason: r.reason, label: `torch (${r.device}, ${r.precision})` };
}

async function useCpu(): Promise<BackendChoice> {
  await tf.setBackend("cpu");
  patchCpuKernels();
  return { backend: "cpu", reason: "tfjs plain JavaScript CPU kernels (faster conv filter gradient)" };
}

/**
 * Selects and initialises a backend by name, the other runtime fields in `opts` (checked by parseRuntime);
 * prints `backend: <name> (<reason>)` to stderr unless quiet. A runtime already parsed goes to {@link selectRuntime}.
 */
export async function selectBackend(name: BackendName, opts: SelectOptions = {}): Promise<BackendChoice> {
  const { quiet, ...given } = opts;
  return await selectRuntime(runtimeOf(parseRuntime({ ...given, backend: name })), { quiet });
}

/** Starts a runtime's backend; prints `backend: <name> (<reason>)` to stderr unless quiet. */
export async function selectRuntime(rt: Runtime, opts: { quiet?: boolean } = {}): Promise<BackendChoice> {
  const { backend: name, device, precision, threads } = rt;
  let choice: BackendChoice;
  if (name === "auto" && device !== "auto") {
    choice = await useTorch(device, precision, threads); // only torch has a --device
    choice = { ...choice, reason: `auto: --device ${device} → torch; ${choice.reason}` };
  } else if (name === "auto") {
    const skipped: string[] = [];
    choice = await firstOk([
      () => useTensorflow(),
      () => useTorch("auto", precision, threads, true),
      () => useTorch("cpu", precision, threads),
      () => useWebgpu(false),
    ], skipped) ?? await useCpu();
    choice = { ...choice, reason: `auto: ${[...skipped, choice.reason].join("; ")}` };
  } else {
    const run = {
      tensorflow: useTensorflow,
      webgpu: () => useWebgpu(true),
      wasm: useWasm,
      cpu: useCpu,
      torch: () => useTorch(device, precision, threads),
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

/**
 * What the active backend runs on, as a run records it: the tfjs backend's name and, on torch, its device,
 * precision, threads and how its OpenMP threads wait.
 *
 * @example
 * ```ts
 * await selectBackend("cpu", { quiet: true });
 * activeRuntime(); // { backend: "cpu", device: null, precision: null, threads: null, ompWait: null, cpuCacheMb: null }
 * ```
 */
export function activeRuntime(): RecordedRuntime {
  const backend = tf.getBackend(), torch = backend === TORCH_BACKEND ? torchRuntime() : null;
  return {
    backend,
    device: torch?.device ?? null,
    precision: torch?.precision ?? null,
    threads: torch?.threads ?? null,
    ompWait: torch?.ompWait ?? null,
    cpuCacheMb: torch?.cpuCacheMb ?? null,
  };
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

/**
 * Makes sure a backend is active and returns its name, quietly: an explicit `prefer` wins, then a backend
 * the caller already activated, then wasm (SIMD; 5–13× faster than the plain cpu backend on the peers'
 * small models), then cpu. The peers use it so they run on whatever our model runs on.
 *
 * @example
 * ```ts
 * await ensureBackend(); // "wasm" unless something else was set first
 * ```
 */
export async function ensureBackend(prefer?: string): Promise<string> {
  await loadWasm();
  // deno-lint-ignore no-explicit-any
  const active: string | null = (tf.engine() as any).backendName ?? null;
  if (prefer) {
    if (!(await tf.setBackend(prefer).catch(() => false))) {
      throw new Error(`TF.js backend "${prefer}" could not be initialised (have ${BACKEND_NAMES.slice(1).join(", ")})`);
    }
  } else if (!active) {
    if (!(await tf.setBackend("wasm"))) await tf.setBackend("cpu");
  }
  await tf.ready();
  return tf.getBackend();
}
