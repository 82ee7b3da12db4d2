/**
 * Which precision runs for a precision request, decided here only. On the CPU, bf16 needs bf16 instructions
 * (avx512_bf16 or amx_bf16): without them libtorch emulates bf16, about 18× slower than fp32 (issue 29: a
 * 48-px training step at 0.05–0.06 step/s against 0.9–1.1 in fp32 on an AVX2-only AMD EPYC). So there a bf16
 * request runs fp32 with a warning, and `auto` is bf16 only on a CPU that has them. On CUDA every named
 * precision runs as asked, and `auto` is fp32 (bf16 and tf32 are asked for by name there).
 *
 * @example
 * ```ts
 * resolvePrecision("bf16", { cuda: false, cpu: { cpu: "AMD EPYC 7B12", flags: ["avx2"] } });
 * // { precision: "fp32", warning: "precision bf16: the CPU (AMD EPYC 7B12) has no bf16 instructions …" }
 * resolvePrecision("auto", { cuda: false, cpu: { cpu: "AMD EPYC 9B14", flags: ["avx512_bf16"] } }); // { precision: "bf16" }
 * ```
 * @module
 */
import { BF16_FLAGS, type CpuIdentity, hasBf16 } from "../../util/host.ts";
import { type Precision, PRECISIONS } from "./ffi.ts";

/** A precision request: a precision by name, or `auto` (the fastest that is not emulated here; see the module). */
export type PrecisionRequest = Precision | "auto";
/** The requests accepted by `--precision`. */
export const PRECISION_REQUESTS: readonly PrecisionRequest[] = [...PRECISIONS, "auto"];

/** Where a request runs: on CUDA, or on this CPU (its name and flags, as host.ts reads them). */
export interface PrecisionTarget {
  cuda: boolean;
  cpu: CpuIdentity;
}

/** The precision that runs, and the warning to print once where it is not the one asked for. */
export interface ResolvedPrecision {
  precision: Precision;
  warning?: string;
}

/** The precision a request runs at on a target (see the module). */
export function resolvePrecision(request: PrecisionRequest, target: PrecisionTarget): ResolvedPrecision {
  if (target.cuda) return { precision: request === "auto" ? "fp32" : request };
  if (request !== "auto" && request !== "bf16") return { precision: request };
  if (hasBf16(target.cpu.flags)) return { precision: "bf16" };
  if (request === "auto") return { precision: "fp32" };
  return {
    precision: "fp32",
    warning: `precision bf16: the CPU (${target.cpu.cpu}) has no bf16 instructions (${BF16_FLAGS.join(", ")}), ` +
      `so libtorch would emulate bf16, about 18x slower than fp32: running fp32 (--precision auto picks by itself)`,
  };
}

/**
 * {@link resolvePrecision} that hands its warning to `warn` the first time only (register.ts keeps one for the
 * process, so a run that asks again, a resume or an evaluation after training, warns once).
 *
 * @example
 * ```ts
 * const precisionOf = warningOnce((m) => console.error(`warning: ${m}`));
 * precisionOf("bf16", { cuda: false, cpu: cpuIdentity() }); // "fp32" on an AVX2-only CPU, and one warning
 * ```
 */
export function warningOnce(
  warn: (message: string) => void,
): (request: PrecisionRequest, target: PrecisionTarget) => Precision {
  let warned = false;
  return (request, target) => {
    const r = resolvePrecision(request, target);
    if (r.warning && !warned) {
      warned = true;
      warn(r.warning);
    }
    return r.precision;
  };
}
