/**
 * A runtime as a command line gives it: `--backend`, `--device`, `--precision`, `--threads` (else the environment's
 * FER_THREADS), each checked once, where it enters, into a typed {@link RuntimeRequest}; runtime.ts completes it.
 *
 * @example
 * ```ts
 * const request = parseRuntime({ backend: "torch", precision: "bf16" }); // { backend: "torch", precision: "bf16" }
 * parseRuntime({ backend: "fer-native" }); // throws: unknown backend "fer-native": fer-native was retired: …
 * ```
 * @module
 */
import { BACKEND_NAMES, type BackendName, envThreads, positiveInt, type RuntimeRequest } from "./runtime.ts";
import { PRECISION_REQUESTS, type PrecisionRequest } from "./torch/precision.ts";

/** Backends that were removed, with what to use instead (an old script's `--backend` gets this). */
const RETIRED: Record<string, string> = {
  "fer-native": "fer-native was retired: the torch backend runs the same oneDNN kernels faster (--backend torch)",
};

/** The runtime as given on a command line (flags) or in code: strings, unchecked. */
export interface RuntimeInput {
  backend?: string;
  device?: string;
  precision?: string;
  /** A number, or the text of one; when absent, the environment's FER_THREADS (if set). */
  threads?: number | string;
}

/** Checks each given field of `input` (threads: FER_THREADS when not given); errors name the flag. */
export function parseRuntime(input: RuntimeInput): RuntimeRequest {
  const out: RuntimeRequest = {};
  const { backend, device, precision } = input;
  if (backend !== undefined) {
    if (!(BACKEND_NAMES as readonly string[]).includes(backend)) {
      const retired = RETIRED[backend] ? `: ${RETIRED[backend]}` : "";
      throw new Error(`unknown backend "${backend}"${retired} (have ${BACKEND_NAMES.join(", ")})`);
    }
    out.backend = backend as BackendName;
  }
  if (device !== undefined) {
    if (!/^(auto|cpu|cuda(:\d+)?)$/.test(device)) {
      throw new Error(`unknown device "${device}" (expected auto, cpu, cuda or cuda:N)`);
    }
    out.device = device;
  }
  if (precision !== undefined) {
    if (!(PRECISION_REQUESTS as readonly string[]).includes(precision)) {
      throw new Error(`unknown precision "${precision}" (have ${PRECISION_REQUESTS.join(", ")})`);
    }
    out.precision = precision as PrecisionRequest;
  }
  const threads = input.threads !== undefined ? positiveInt(input.threads, "--threads") : envThreads();
  if (threads !== undefined) out.threads = threads;
  return out;
}
