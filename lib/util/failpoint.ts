/**
 * Fail points: named places where the fault suite (tests/faults_*) kills the process the way a power
 * cut or the OOM killer would — SIGKILL, no cleanup — at moments a timer cannot hit reliably, such as
 * between a checkpoint's bytes and its rename. `FER_FAILPOINT=<name>:<n>` kills the process on its
 * n-th pass through `name`; without the variable a fail point does nothing.
 *
 * The places: `batch` (after each optimiser step), `checkpoint-write` (half of a checkpoint's bytes
 * written to its temporary file), `checkpoint-rename` (the temporary file complete, not yet renamed),
 * `checkpoint-done` (renamed into place) and `atomic-rename` (any other atomic file write — run.json,
 * metrics, fold reports — between its temporary file and its rename).
 *
 * @example
 * ```ts
 * failpoint("checkpoint-rename"); // FER_FAILPOINT=checkpoint-rename:3 dies here the third time
 * ```
 * @module
 */

/** The fail point names, in the order a training epoch passes them. */
export const FAILPOINTS = [
  "batch",
  "checkpoint-write",
  "checkpoint-rename",
  "checkpoint-done",
  "atomic-rename",
] as const;

/** One fail point name. */
export type Failpoint = typeof FAILPOINTS[number];

/** The armed fail point of this process (read once), or null. */
function armed(): { name: Failpoint; at: number } | null {
  let v: string | undefined;
  try {
    v = Deno.env.get("FER_FAILPOINT");
  } catch {
    return null; // no permission to read the environment: nothing is armed
  }
  if (!v) return null;
  const m = /^([a-z-]+):([1-9][0-9]*)$/.exec(v);
  if (!m || !(FAILPOINTS as readonly string[]).includes(m[1])) {
    throw new Error(`FER_FAILPOINT must be <name>:<n> with name one of ${FAILPOINTS.join(", ")}, got "${v}"`);
  }
  return { name: m[1] as Failpoint, at: Number(m[2]) };
}

let target: { name: Failpoint; at: number } | null | undefined;
let passes = 0;

/** Kills this process with SIGKILL on the armed pass through `name`; otherwise returns at once. */
export function failpoint(name: Failpoint): void {
  if (target === undefined) target = armed();
  if (target === null || target.name !== name) return;
  if (++passes === target.at) Deno.kill(Deno.pid, "SIGKILL");
}
