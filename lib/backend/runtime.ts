/**
 * Where a model runs: the backend, torch's device and compute precision, and torch's CPU threads, as one
 * typed {@link Runtime}. Its defaults and the checks of a whole runtime live here: a command parses its flags
 * (and the environment's FER_THREADS) once into a {@link RuntimeRequest} (runtime_flags.ts), completes it with
 * {@link runtimeOf} — where a grid row or a record brings defaults of its own, the flags win over them — and
 * passes the one object on to training, evaluation, prediction and the grid's jobs; `selectBackend` starts it.
 * A run records what it ran on as {@link RecordedRuntime} (run.json's `runtime`): the precision that ran, which
 * torch/precision.ts resolves from the one asked for (`auto`; bf16 on a CPU without bf16 instructions runs fp32).
 *
 * @example
 * ```ts
 * const rt = runtimeOf({ backend: "torch", precision: "bf16" }); // device "auto"
 * rt.precision; // "bf16"
 * runtimeOf({ precision: "bf16" }, { backend: "cpu" }); // throws: --device and --precision apply to the torch backend only
 * ```
 * @module
 */
import type { Precision } from "./torch/ffi.ts";
import type { PrecisionRequest } from "./torch/precision.ts";
import type { OmpWaitPolicy } from "./torch/omp_wait.ts";

export type { PrecisionRequest };

/** Names accepted by `--backend`. */
export const BACKEND_NAMES = ["auto", "tensorflow", "webgpu", "wasm", "cpu", "torch"] as const;
/** A backend request. */
export type BackendName = typeof BACKEND_NAMES[number];

/** Where a model runs. */
export interface Runtime {
  /** The backend asked for ("auto": the fastest that starts here; see select.ts). */
  backend: BackendName;
  /** Torch's device: auto (CUDA when torch sees one), cpu, cuda, cuda:N. */
  device: string;
  /** Torch's compute precision of convs and matmuls, as asked for (`auto`: see torch/precision.ts). */
  precision: PrecisionRequest;
  /** Torch's intra-op CPU threads (undefined: {@link defaultThreads}). */
  threads?: number;
}

/** Some fields of a runtime, each checked: what flags or a caller gave. */
export type RuntimeRequest = Partial<Runtime>;

/** The defaults of every runtime field but the threads. */
export const RUNTIME_DEFAULTS: Readonly<Required<Omit<Runtime, "threads">>> = {
  backend: "auto",
  device: "auto",
  precision: "fp32",
};

/** `v` as a positive integer, or an error naming `name` (a flag or an environment variable). */
export function positiveInt(v: number | string, name: string): number {
  const n = typeof v === "number" ? v : v.trim() === "" ? NaN : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
}

/** FER_THREADS as a number, undefined when it is not set; an error naming it when it is not a positive integer. */
export function envThreads(): number | undefined {
  const v = Deno.env.get("FER_THREADS");
  return v === undefined || v === "" ? undefined : positiveInt(v, "FER_THREADS");
}

/** Torch's threads when a runtime names none: FER_THREADS, else every core. */
export function defaultThreads(): number {
  return envThreads() ?? navigator.hardwareConcurrency;
}

/**
 * The runtime of a request: each field from `request`, else `fallback` (a record's or a config's own), else
 * {@link RUNTIME_DEFAULTS}. A device other than the default, or a precision other than fp32 and auto (which
 * is fp32 on every other backend), needs the torch backend (or auto, which then is torch).
 */
export function runtimeOf(request: RuntimeRequest, fallback: RuntimeRequest = {}): Runtime {
  const rt: Runtime = { ...RUNTIME_DEFAULTS, ...defined(fallback), ...defined(request) };
  if (
    rt.backend !== "auto" && rt.backend !== "torch" &&
    (rt.device !== RUNTIME_DEFAULTS.device || (rt.precision !== RUNTIME_DEFAULTS.precision && rt.precision !== "auto"))
  ) {
    throw new Error(`--device and --precision apply to the torch backend only (backend "${rt.backend}")`);
  }
  return rt;
}

function defined(r: RuntimeRequest): RuntimeRequest {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}

/**
 * What a run ran on, as run.json records it: the tfjs backend that trained (torch, cpu, wasm, …) and,
 * on torch, its device ("cpu", "cuda:0"), precision and threads (null on other backends).
 */
export interface RecordedRuntime {
  backend: string;
  device: string | null;
  precision: Precision | null;
  threads: number | null;
  /** How torch's OpenMP threads waited (torch/omp_wait.ts); null off torch, absent in records before 2026-12-06. */
  ompWait?: OmpWaitPolicy | null;
  /** MiB of freed CPU memory torch kept for reuse (torch/memory.ts; 0: none); null off torch, absent before
   * 2026-12-07. */
  cpuCacheMb?: number | null;
}

/**
 * The runtime of a record: its `runtime` fields, or, for a record written before they existed, what its
 * backend label ("torch (cpu, bf16)") and machine threads say.
 *
 * @example
 * ```ts
 * recordedRuntime({ backend: "torch (cpu, bf16)", machine: { threads: "1" } }).precision; // "bf16"
 * ```
 */
export function recordedRuntime(
  rec: { backend?: string; runtime?: RecordedRuntime; machine?: { threads: string | null } },
): RecordedRuntime {
  if (rec.runtime) return rec.runtime;
  const label = rec.backend ?? "unknown";
  const m = /^(\w+) \(([\w:]+), (fp32|tf32|bf16)\)$/.exec(label);
  const threads = rec.machine?.threads ? Number(rec.machine.threads) : null;
  return m
    ? { backend: m[1], device: m[2], precision: m[3] as Precision, threads }
    : { backend: label, device: null, precision: null, threads: null };
}
