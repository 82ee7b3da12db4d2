/**
 * How libtorch's idle OpenMP threads wait for work. libgomp reads it once, from the environment, when libtorch
 * loads, so {@link ompWaitFor} decides (with {@link chooseOmpWait}) before the shim is opened and
 * {@link applyOmpWait} writes it.
 *
 * Measured on a 2-core AMD EPYC (results/bench/omp-wait-2026-12-06.json, `deno task bench omp-wait`, 2 threads,
 * the main job's network at batch 32): idle, passive waiting (threads sleep at once) ran 354 img/s, a short spin
 * (`GOMP_SPINCOUNT=10000`, ~0.1 ms) 490 and an endless one (`OMP_WAIT_POLICY=ACTIVE`) 506. Beside two busy processes
 * the short spin ran 0.57× passive's and the endless one 0.52×; beside six, 0.94× and 0.20× (a CK+ epoch took 5–9×
 * longer with endless spinning at load ~7: omp-wait-policy-2026-11-29.txt). So: a short spin while the cores the
 * run needs are free, passive when other work is runnable on them (this choice ran 1.40×, 1.03× and 1.06× passive's
 * in the three cases), and a user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT always wins. The load is read once, at
 * start: work that starts later meets the short spin, which then costs up to ~40% until the run restarts.
 *
 * @example
 * ```ts
 * const choice = chooseOmpWait({ threads: 2, cores: 2, others: 0, env: {} });
 * choice.policy; // "spin": GOMP_SPINCOUNT=10000
 * applyOmpWait(choice);
 * ```
 * @module
 */

/** The spin count of the short spin: ~0.1 ms of polling before a thread sleeps. */
export const SHORT_SPIN = 10000;

/** "spin": a short spin, then sleep; "passive": sleep at once; "user": the environment said. */
export type OmpWaitPolicy = "spin" | "passive" | "user";

/** What the run's OpenMP threads do when idle, and why. */
export interface OmpWait {
  policy: OmpWaitPolicy;
  /** The variables to set (none for "user"). */
  env: Record<string, string>;
  why: string;
}

/** What {@link chooseOmpWait} decides from. */
export interface OmpWaitInputs {
  /** Torch's intra-op threads. */
  threads: number;
  cores: number;
  /** Runnable threads of other processes now. */
  others: number;
  /** The user's settings, if any. */
  env: { OMP_WAIT_POLICY?: string; GOMP_SPINCOUNT?: string };
}

/** The environment's settings among `env`: [name, value] pairs that are set and not empty. */
function settings(env: OmpWaitInputs["env"]): [string, string][] {
  return Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "");
}

/** A short spin when the run's threads find free cores, passive otherwise; the user's setting wins. */
export function chooseOmpWait(o: OmpWaitInputs): OmpWait {
  const set = settings(o.env);
  if (set.length > 0) {
    return { policy: "user", env: {}, why: `set by the environment (${set.map(([k, v]) => `${k}=${v}`).join(", ")})` };
  }
  const free = o.cores - o.threads;
  const why = `${o.others} runnable threads of other processes, ${
    Math.max(free, 0)
  } cores free beside ${o.threads} threads`;
  return o.others > free
    ? { policy: "passive", env: { OMP_WAIT_POLICY: "PASSIVE" }, why }
    : { policy: "spin", env: { GOMP_SPINCOUNT: `${SHORT_SPIN}` }, why };
}

/**
 * This process's choice for `threads` torch threads: from the user's settings ({@link userOmpEnv}) and, where they
 * decide nothing, the load now ({@link othersRunnable}, read only then).
 */
export async function ompWaitFor(threads: number): Promise<OmpWait> {
  const env = userOmpEnv();
  const others = settings(env).length > 0 ? 0 : await othersRunnable();
  return chooseOmpWait({ threads, cores: navigator.hardwareConcurrency, others, env });
}

/** Runnable threads of other processes: /proc/loadavg's running count less this one, the least of a few reads
 * 10 ms apart (a start-up burst of this process's own threads is not load); 0 off Linux. */
export async function othersRunnable(samples = 5): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < samples; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 10));
    let text: string;
    try {
      text = Deno.readTextFileSync("/proc/loadavg");
    } catch {
      return 0;
    }
    const running = Number(text.split(" ")[3]?.split("/")[0]);
    if (Number.isFinite(running)) least = Math.min(least, running - 1);
  }
  return Number.isFinite(least) ? Math.max(0, least) : 0;
}

/** The variables libgomp reads for its waiting. */
const OMP_VARS = ["OMP_WAIT_POLICY", "GOMP_SPINCOUNT"] as const;

/** The variable {@link applyOmpWait} sets beside its choice, so that a child process knows the OpenMP variables it
 * inherits are a parent's choice, not the user's, and chooses again for itself (PyTorch's processes keep them). */
export const OMP_WAIT_MARK = "FER_OMP_WAIT";

/** The user's own OpenMP settings in this process's environment: none where the variables are a parent's choice. */
export function userOmpEnv(): OmpWaitInputs["env"] {
  if (Deno.env.get(OMP_WAIT_MARK) !== undefined) return {};
  return Object.fromEntries(OMP_VARS.map((k) => [k, Deno.env.get(k)]));
}

/** Writes the choice into this process's environment, before libtorch (and its libgomp) loads: a parent's choice
 * is replaced (GOMP_SPINCOUNT would otherwise override a passive policy), the user's is left as it is. */
export function applyOmpWait(choice: OmpWait): void {
  if (choice.policy === "user") return;
  for (const k of OMP_VARS) Deno.env.delete(k);
  for (const [k, v] of Object.entries(choice.env)) Deno.env.set(k, v);
  Deno.env.set(OMP_WAIT_MARK, choice.policy);
}
