/**
 * What a cluster submission needs besides the jobs: scheduler settings from options or a JSON file
 * (`--cluster-config FILE`, default `fer-cluster.json` in the working folder when there is one; options
 * win), and each task's resources — CPUs, a GPU when the jobs run on CUDA, and a time limit from the
 * epoch times measured in the runs folder.
 *
 * @example
 * ```ts
 * const s = await clusterSettings({ partition: "gpu" }, "fer-cluster.json");
 * const r = await taskResources(jobs, { runsDir: "outputs/runs", device: "cuda", settings: s });
 * r.time; // "1:30:00"
 * ```
 * @module
 */
import { measuredEpochSeconds } from "../report/epoch_times.ts";
import type { GridJob } from "./plan.ts";
import { readRuns } from "../report/runs.ts";

/** Scheduler settings. */
export interface ClusterSettings {
  /** Slurm partition. */
  partition?: string;
  /** Slurm account. */
  account?: string;
  /** Extra `#SBATCH` lines, e.g. "--qos=normal". */
  sbatch?: string[];
  /** CPUs per task (default: 4 on CUDA, else this machine's cores, the ones the epoch times were measured on). */
  cpus?: number;
  /** Time limit per task, [D-]HH:MM:SS (default: from measured epoch times). */
  time?: string;
  /** At most this many tasks at once. */
  maxParallel?: number;
  /** Kubernetes: the container image (the project and deno in it) and namespace. */
  image?: string;
  namespace?: string;
}

const KEYS = ["partition", "account", "sbatch", "cpus", "time", "maxParallel", "image", "namespace"];

/** The default settings file, looked up in the working folder. */
export const CLUSTER_CONFIG = "fer-cluster.json";

/** Checks settings read from `where`; errors name it and the field. */
export function checkSettings(x: unknown, where: string): ClusterSettings {
  const fail = (m: string): never => {
    throw new Error(`${where}: ${m}`);
  };
  if (typeof x !== "object" || x === null || Array.isArray(x)) fail("expected a JSON object");
  const s = x as Record<string, unknown>;
  const extra = Object.keys(s).filter((k) => !KEYS.includes(k));
  if (extra.length) fail(`unknown field(s) ${extra.join(", ")}; known: ${KEYS.join(", ")}`);
  for (const k of ["partition", "account", "image", "namespace"]) {
    if (s[k] !== undefined && (typeof s[k] !== "string" || s[k] === "")) fail(`"${k}" must be a non-empty string`);
  }
  if (s.sbatch !== undefined && !(Array.isArray(s.sbatch) && s.sbatch.every((l) => /^--?\w/.test(String(l))))) {
    fail(`"sbatch" must be a list of sbatch options such as "--qos=normal"`);
  }
  for (const k of ["cpus", "maxParallel"]) {
    if (s[k] !== undefined && !(Number.isInteger(s[k]) && (s[k] as number) >= 1)) {
      fail(`"${k}" must be a positive integer, got ${JSON.stringify(s[k])}`);
    }
  }
  if (s.time !== undefined && !/^(\d+-)?\d+:\d\d:\d\d$/.test(String(s.time))) {
    fail(`"time" must be [D-]HH:MM:SS, got ${JSON.stringify(s.time)}`);
  }
  return s as ClusterSettings;
}

/**
 * The settings file (`file`, or {@link CLUSTER_CONFIG} when it exists) under the options given on the
 * command line; an option left out keeps the file's value.
 */
export async function clusterSettings(options: ClusterSettings, file?: string): Promise<ClusterSettings> {
  let fromFile: ClusterSettings = {};
  const path = file ?? CLUSTER_CONFIG;
  let text: string | null = null;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (file !== undefined || !(e instanceof Deno.errors.NotFound)) {
      throw new Error(`${path}: cannot read the cluster settings (${e instanceof Error ? e.message : e})`);
    }
  }
  if (text !== null) {
    try {
      fromFile = checkSettings(JSON.parse(text), path);
    } catch (e) {
      throw e instanceof SyntaxError ? new Error(`${path}: not valid JSON (${e.message})`) : e;
    }
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return checkSettings({ ...fromFile, ...given }, "options");
}

/** One task's resources, and how they were chosen. */
export interface TaskResources {
  cpus: number;
  gpu: boolean;
  /** [D-]HH:MM:SS. */
  time: string;
  /** One line per choice, for the script's header. */
  notes: string[];
}

/** Without a measured epoch: this long per task (override with --time). */
export const UNMEASURED_TIME = "4:00:00";

/**
 * Resources of the grid's tasks: a GPU when `device` is CUDA; CPUs from the settings, else 4 on CUDA
 * (input pipeline and LBP) or this machine's cores; the time limit from the settings, else the longest
 * job's epochs × its measured median epoch × 1.5 + 5 minutes (start-up, evaluation), rounded up to
 * minutes — {@link UNMEASURED_TIME} when no run like it was measured.
 */
export async function taskResources(
  jobs: GridJob[],
  opts: { runsDir: string; device?: string; settings: ClusterSettings },
): Promise<TaskResources> {
  const gpu = /^cuda/.test(opts.device ?? ""), s = opts.settings, notes: string[] = [];
  const cpus = s.cpus ?? (gpu ? 4 : navigator.hardwareConcurrency);
  notes.push(
    s.cpus ? `cpus: ${cpus}, as set` : gpu ? "cpus: 4 beside the GPU" : `cpus: ${cpus}, the cores epochs were timed on`,
  );
  if (s.time) return { cpus, gpu, time: s.time, notes: [...notes, `time: ${s.time}, as set`] };
  const runs = await readRuns(opts.runsDir);
  let worst = 0, basis = "";
  for (const j of jobs) {
    const m = await measuredEpochSeconds(runs, j.experiment, { cuda: gpu });
    if (!m) {
      notes.push(`time: ${UNMEASURED_TIME}; no measured epoch for ${j.experiment.config.row} in ${opts.runsDir}`);
      return { cpus, gpu, time: UNMEASURED_TIME, notes };
    }
    const epochs = j.experiment.train.epochs, t = epochs * m.seconds;
    if (t > worst) {
      worst = t;
      basis = `${epochs} epochs × ${m.seconds.toFixed(1)} s (median epoch of ${m.runs.length} run(s)` +
        `${m.cuda === gpu ? "" : m.cuda ? ", measured on CUDA" : ", measured without CUDA"})`;
    }
  }
  const time = hms(Math.ceil((worst * 1.5 + 300) / 60) * 60);
  notes.push(`time: ${time} = ${basis} × 1.5 + 5 min`);
  return { cpus, gpu, time, notes };
}

/** Seconds as [D-]H:MM:SS. */
export function hms(seconds: number): string {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60), s = Math.round(seconds % 60);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d ? `${d}-` : ""}${h}:${p(m)}:${p(s)}`;
}

/** One argument for a POSIX shell: as it is when safe, else single-quoted. */
export function shellQuote(arg: string): string {
  return /^[\w/.,:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
