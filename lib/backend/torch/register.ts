/**
 * Registers the "torch" backend: builds the shim (once, cached), opens it, picks the device
 * (CUDA when torch sees a GPU, else the CPU, unless told), sets the precision (precision.ts: `auto`, and bf16
 * only on a CPU with bf16 instructions, else fp32 with a warning printed once), registers the
 * libtorch kernels (having chosen how its OpenMP threads wait, omp_wait.ts) and, for every other kernel of tfjs's
 * cpu backend, a host fallback with a notice; then installs the torch gradients, the fused batch norm, the fused
 * optimiser updates and the saved tensors that share their data (saved_tensors.ts).
 *
 * @example
 * ```ts
 * const r = await registerTorchBackend({ device: "auto", precision: "bf16" });
 * if (r.ok) await tf.setBackend(r.backend); else console.warn(r.reason);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-layers";
import { TorchBackend } from "./backend.ts";
import { buildTorchShim } from "./build.ts";
import { openTorch, type Precision, PRECISIONS, type TorchInfo, type TorchLib } from "./ffi.ts";
import { viaCpu } from "./fallback.ts";
import { installTorchGradients } from "./gradients.ts";
import { blockKernels } from "./kernels/block.ts";
import { convKernels } from "./kernels/conv.ts";
import { gradKernels } from "./kernels/grads.ts";
import { layoutKernels } from "./kernels/layout.ts";
import { lossKernels } from "./kernels/loss.ts";
import { mathKernels } from "./kernels/math.ts";
import { normKernels } from "./kernels/norm.ts";
import { poolKernels } from "./kernels/pool.ts";
import { reduceKernels } from "./kernels/reduce.ts";
import type { KernelDef } from "./kernels/util.ts";
import { installTorchConvLayer } from "./conv_layer.ts";
import { installTorchBatchNorm } from "./layers.ts";
import { installTorchOptimizers } from "./optimizers.ts";
import { installTorchSavedTensors } from "./saved_tensors.ts";
import { type CpuCache, cpuCacheFor } from "./memory.ts";
import { applyOmpWait, type OmpWait, ompWaitFor, type OmpWaitPolicy } from "./omp_wait.ts";
import { type PrecisionRequest, warningOnce } from "./precision.ts";
import { defaultThreads, RUNTIME_DEFAULTS } from "../runtime.ts";
import { cpuIdentity } from "../../util/host.ts";

/** Name of the backend registered by {@link registerTorchBackend}. */
export const TORCH_BACKEND = "torch";

/** A device request: `auto` (CUDA when torch sees one), `cpu`, `cuda` (= cuda:0) or `cuda:N`. */
export type TorchDevice = "auto" | "cpu" | "cuda" | `cuda:${number}`;

/** Options of {@link registerTorchBackend}. */
export interface TorchBackendOptions {
  device?: TorchDevice;
  /** The precision asked for; the result's `precision` is the one that runs (precision.ts). */
  precision?: PrecisionRequest;
  /** Intra-op CPU threads (default: defaultThreads(), FER_THREADS or all cores). */
  threads?: number;
  /** Backend priority in tfjs's registry (default 0: never chosen implicitly). */
  priority?: number;
}

/** Outcome of {@link registerTorchBackend}. */
export interface TorchBackendResult {
  ok: boolean;
  backend: string;
  reason: string;
  /** "cpu" or "cuda:N" (when ok). */
  device?: string;
  /** The precision that runs (what a bf16 or auto request became here). */
  precision?: Precision;
  info?: TorchInfo;
  /** How its OpenMP threads wait for work (omp_wait.ts), chosen before libtorch loaded (when ok). */
  ompWait?: OmpWait;
  /** How much freed CPU memory it keeps for reuse (memory.ts), set when libtorch loaded (when ok). */
  cpuCache?: CpuCache;
}

let registered: Promise<TorchBackendResult> | undefined;
/** How the OpenMP threads wait, chosen when libtorch loaded. */
let ompWait: OmpWait | undefined;
/** How much freed CPU memory is kept for reuse, set when libtorch loaded. */
let cpuCache: CpuCache | undefined;
let lib: TorchLib | undefined;
let initOpts: { threads: number; device: number; sync: boolean; precision: Precision } | undefined;
const precisionOf = warningOnce((message) => console.error(`warning: ${message}`));

/** The precision a request runs at on `device` (-1: the CPU, whose flags are read now); its warning once a process. */
function runPrecision(request: PrecisionRequest, device: number): Precision {
  return precisionOf(request, { cuda: device >= 0, cpu: cpuIdentity() });
}

/** The libtorch kernels, by kernel name. */
export function torchKernels(): KernelDef[] {
  return [
    ...convKernels(),
    ...poolKernels(),
    ...mathKernels(),
    ...reduceKernels(),
    ...layoutKernels(),
    ...normKernels(),
    ...blockKernels(),
    ...lossKernels(),
    ...gradKernels(),
  ];
}

/** Resolves a device request against the number of CUDA devices torch sees: -1 is the CPU. */
export function resolveDevice(request: string, cudaDevices: number): number {
  if (request === "auto") return cudaDevices > 0 ? 0 : -1;
  if (request === "cpu") return -1;
  const m = request.match(/^cuda(?::(\d+))?$/);
  if (!m) throw new Error(`unknown device "${request}" (expected cpu, cuda or cuda:N)`);
  const n = Number(m[1] ?? 0);
  if (n >= cudaDevices) {
    throw new Error(`device ${request} requested but torch sees ${cudaDevices} CUDA device(s)`);
  }
  return n;
}

/** What the reason says where a device request met no CUDA device (empty otherwise): `auto` on a CUDA build of torch
 * that sees no GPU runs on the CPU, and says so. */
export function noCudaNote(request: string, cudaBuild: boolean, cudaDevices: number): string {
  return request === "auto" && cudaBuild && cudaDevices === 0
    ? "no CUDA device (a CUDA build, but torch sees no GPU or driver: auto runs on the CPU); "
    : "";
}

async function register(opts: TorchBackendOptions): Promise<TorchBackendResult> {
  const fail = (reason: string): TorchBackendResult => ({ ok: false, backend: TORCH_BACKEND, reason });
  if (Deno.build.os !== "linux") return fail(`the torch backend supports Linux only (this is ${Deno.build.os})`);
  const built = await buildTorchShim();
  if (!built.ok) return fail(built.reason);
  const threads = opts.threads ?? defaultThreads();
  let precision: Precision;
  ompWait = await ompWaitFor(threads);
  applyOmpWait(ompWait);
  try {
    lib = openTorch(built.path);
    cpuCache = cpuCacheFor();
    if (cpuCache.limitMb > 0) lib.cacheCpu(cpuCache.limitMb * 2 ** 20);
    const device = resolveDevice(opts.device ?? "auto", lib.info().cuda_devices);
    precision = runPrecision(opts.precision ?? RUNTIME_DEFAULTS.precision, device);
    initOpts = { threads, device, sync: Deno.env.get("FER_TORCH_SYNC") === "1", precision };
    lib.init(initOpts);
  } catch (e) {
    return fail(`cannot start libtorch from ${built.path}: ${(e as Error).message}`);
  }
  const torch = lib;
  if (!tf.findBackendFactory(TORCH_BACKEND)) {
    tf.registerBackend(TORCH_BACKEND, () => new TorchBackend(torch), opts.priority ?? 0);
  }
  const own = new Map(torchKernels().map((k) => [k.kernelName, k]));
  for (const k of own.values()) tf.registerKernel({ ...k, backendName: TORCH_BACKEND });
  for (const k of tf.getKernelsForBackend("cpu")) {
    if (!own.has(k.kernelName)) {
      tf.registerKernel({ kernelName: k.kernelName, backendName: TORCH_BACKEND, kernelFunc: viaCpu(k.kernelName) });
    }
  }
  installTorchGradients(TORCH_BACKEND);
  installTorchBatchNorm(TORCH_BACKEND);
  installTorchConvLayer(TORCH_BACKEND);
  installTorchOptimizers(TORCH_BACKEND);
  installTorchSavedTensors(TORCH_BACKEND);
  const info = torch.info();
  const note = noCudaNote(opts.device ?? "auto", built.install?.cuda ?? false, info.cuda_devices);
  return {
    ok: true,
    backend: TORCH_BACKEND,
    reason: `${built.reason.split("; skipped")[0]}; ${note}${info.device}, ${precision}, ${info.threads} threads`,
    device: info.device,
    precision,
    info,
    ompWait,
    cpuCache,
  };
}

/**
 * Builds (once, cached) and loads the shim and registers the "torch" backend. Safe to call many
 * times: later calls return the first result, with the precision and threads switched when they ask for
 * others (a precision request resolved as the first's; the device is fixed for the process: asking for another
 * throws). Does not switch backends; call `tf.setBackend(result.backend)` when ok.
 */
export async function registerTorchBackend(opts: TorchBackendOptions = {}): Promise<TorchBackendResult> {
  registered ??= register(opts);
  const r = await registered;
  if (r.ok && opts.device !== undefined) {
    const want = resolveDevice(opts.device, r.info!.cuda_devices);
    if ((want < 0 ? "cpu" : `cuda:${want}`) !== r.device) {
      throw new Error(`torch already runs on ${r.device} in this process; device ${opts.device} needs a new process`);
    }
  }
  if (!r.ok) return r;
  installTorchConvLayer(TORCH_BACKEND); // again: AtrousConv2D (lib/model) may have registered since the first call
  const precision = opts.precision === undefined ? r.precision! : runPrecision(opts.precision, initOpts!.device);
  const threads = opts.threads ?? initOpts!.threads;
  if (precision === r.precision && threads === initOpts!.threads) return r;
  initOpts = { ...initOpts!, threads, precision };
  lib!.init(initOpts);
  const now = {
    ...r,
    precision,
    reason: r.reason.replace(/, \w+, \d+ threads$/, `, ${precision}, ${threads} threads`),
  };
  registered = Promise.resolve(now);
  return now;
}

/**
 * The intra-op threads the torch backend runs with; null before it is registered (run records keep it).
 *
 * @example
 * ```ts
 * await registerTorchBackend({ threads: 1 });
 * torchThreads(); // 1
 * ```
 */
export function torchThreads(): number | null {
  return initOpts?.threads ?? null;
}

/** The device ("cpu", "cuda:N"), precision, threads, OpenMP waiting and CPU cache limit (MiB) the torch backend runs
 * with now; null before it is registered. */
export function torchRuntime():
  | { device: string; precision: Precision; threads: number; ompWait: OmpWaitPolicy; cpuCacheMb: number }
  | null {
  if (!initOpts || !ompWait || !cpuCache) return null;
  const { device, precision, threads } = initOpts;
  return {
    device: device < 0 ? "cpu" : `cuda:${device}`,
    precision,
    threads,
    ompWait: ompWait.policy,
    cpuCacheMb: cpuCache.limitMb,
  };
}

/**
 * Switches the compute precision of convs and matmuls for all later ops (after registration), to exactly this
 * one: benches and kernel tests measure a given mode, emulated or not. A run's precision comes from
 * {@link registerTorchBackend}, which checks the CPU.
 */
export function setTorchPrecision(precision: Precision): void {
  if (!lib || !initOpts) throw new Error("setTorchPrecision: the torch backend is not registered");
  if (!PRECISIONS.includes(precision)) throw new Error(`unknown precision "${precision}"`);
  initOpts = { ...initOpts, precision };
  lib.init(initOpts);
}
