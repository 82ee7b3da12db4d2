/**
 * A run's stretches: each process that trained it (the first, and every `--resume` after a stop), with the
 * machine as the OS names it, whether its CPU has bf16 instructions, the backend's precision and threads, the
 * epochs it trained and its minutes. A long run that is stopped and resumed on other days, possibly on another
 * machine of the same kind, says where every part of its history came from.
 *
 * @example
 * ```ts
 * let stretches = startStretch([], { precision: "fp32", threads: 2 }, 0);
 * stretches = extendStretch(stretches, 3, 12.5); // 3 epochs done, 12.5 minutes in this process
 * ```
 * @module
 */
import type { RecordedRuntime } from "../backend/runtime.ts";
import { hostInfo } from "../util/host.ts";

/** One process's part of a run. */
export interface Stretch {
  /** When it started (ISO 8601). */
  started: string;
  /** The CPU as `lscpu` names it, and whether it has bf16 instructions (avx512_bf16 or amx_bf16). */
  cpu: string;
  bf16: boolean;
  /** The torch backend's precision and threads (null on other backends). */
  precision: RecordedRuntime["precision"];
  threads: number | null;
  /** The record's `epochs` when it started and at its last write. */
  fromEpoch: number;
  toEpoch: number;
  /** Wall-clock minutes of this process so far. */
  minutes: number;
  /** The 1-minute load average at its start and at its last write. */
  loadStart: number;
  loadEnd: number;
}

/** The stretches of a run with one more, starting now after `epochsDone` epochs. */
export function startStretch(
  before: readonly Stretch[],
  runtime: Pick<RecordedRuntime, "precision" | "threads">,
  epochsDone: number,
): Stretch[] {
  const host = hostInfo();
  return [...before, {
    started: new Date().toISOString(),
    cpu: host.cpu,
    bf16: host.bf16,
    precision: runtime.precision,
    threads: runtime.threads,
    fromEpoch: epochsDone,
    toEpoch: epochsDone,
    minutes: 0,
    loadStart: host.load1,
    loadEnd: host.load1,
  }];
}

/** The stretches with the last one brought up to `epochsDone` epochs after `minutes` minutes of its process. */
export function extendStretch(stretches: readonly Stretch[], epochsDone: number, minutes: number): Stretch[] {
  if (stretches.length === 0) throw new Error("extendStretch: no stretch was started");
  const last = stretches[stretches.length - 1];
  const rounded = Math.round(minutes * 100) / 100;
  return [...stretches.slice(0, -1), { ...last, toEpoch: epochsDone, minutes: rounded, loadEnd: Deno.loadavg()[0] }];
}
