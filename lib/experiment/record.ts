/**
 * What a run records: the content of `run.json` (config, data summary, protocol, backend, git commit,
 * status, results) — the contract with the reproduction tools — and the `metrics.csv` columns, with
 * run ids and atomic writes (temp file + rename). Where records go is the {@link RunStore}'s business
 * (store.ts).
 *
 * @example
 * ```ts
 * const id = newRunId("ckplus-cpu-small");           // 20261127-203012-ckplus-cpu-small-3fa2
 * await writeTextAtomic(`${dir}/metrics.csv`, metricsCsv(history));
 * const rows = await readMetricsCsv(`${dir}/metrics.csv`);
 * ```
 * @module
 */
import type { RecordedRuntime } from "../backend/runtime.ts";
import type { EvalReport } from "../eval/metrics.ts";
import { failpoint } from "../util/failpoint.ts";
import type { TrainConfig } from "../engine/config.ts";
import type { ModelConfig } from "../model/config.ts";
import type { EpochMetrics, MemorySample } from "../engine/epoch.ts";
import type { ExperimentSpec, Protocol } from "./spec.ts";
import type { Stretch } from "./stretch.ts";

/** Which paper-table row a run belongs to; `fast` is written by `fer reproduce --fast`, `profile` by `--cpu`. */
export interface RunExperiment {
  table: string;
  row: string;
  fast?: boolean;
  profile?: string;
}

/**
 * The job of a grid plan a run is (lib/grid/plan.ts): the hash of its spec, under which a finished job
 * is recognised and skipped; a record assembled from other runs (a k-fold row from its fold jobs, a row
 * over several seeds) names them in `parts`.
 */
export interface JobTag {
  hash: string;
  parts?: string[];
  /** The training seeds of a record that reports a mean over seeds. */
  seeds?: number[];
}

/** The content of `run.json`. */
export interface RunRecord {
  id: string;
  createdAt: string;
  gitCommit: string | null;
  experiment?: RunExperiment;
  job?: JobTag;
  config: { model: ModelConfig; train: TrainConfig };
  /** The spec the run was started from, its dataset as loaded (`--resume` compares flags with it). */
  spec?: ExperimentSpec;
  /** The data as loaded: `contentHash` covers every sample and its file's bytes (data/content_hash.ts; absent in
   * older records). */
  dataset: { name: string; root: string; summary: unknown; contentHash?: string };
  protocol: Protocol;
  /** The backend as a label ("torch (cpu, bf16)"), for people; readers use {@link RunRecord.runtime}. */
  backend: string;
  /** What the run ran on (absent in older records: `recordedRuntime` reads their label). */
  runtime?: RecordedRuntime;
  status: "running" | "done" | "failed" | "stopped";
  epochs: number;
  /** Split protocol: samples in each part. */
  sizes?: { train: number; val: number; test: number };
  /** Split protocol: the 1-based epoch whose weights were kept, and why training stopped. */
  bestEpoch?: number;
  stopReason?: "epochs" | "early-stopping" | "time-budget" | "aborted";
  result?: EvalReport;
  folds?: EvalReport[];
  mean?: { accuracy: number; macroF1: number };
  std?: { accuracy: number; macroF1: number };
  /** Why a failed or stopped run ended. */
  error?: string;
  /** Training and evaluation time, resumed sessions added up. */
  seconds?: number;
  /** Live tensors and resident set size after each epoch (`fold` in k-fold runs): they stay flat. */
  memory?: (MemorySample & { fold?: number })[];
  /** Per-epoch metrics: of the run (split), or one list per fold run (k-fold). Absent in older records. */
  history?: EpochMetrics[];
  foldHistories?: EpochMetrics[][];
  /** With a TTA in the train config: the same models' accuracy without it (per fold), so the TTA's gain is
   * measured on the same weights; null for a fold finished by an earlier process. */
  accuracyWithoutTta?: (number | null)[];
  /** The trained model's attention score (the demo; lib/experiment/attention_probe.ts). */
  attention?: AttentionRecord;
  /** Where it ran and how busy the machine was. Absent in older records. */
  machine?: MachineInfo;
  /** Each process that trained it: the first and every resume, with its machine, epochs and minutes (stretch.ts).
   * Absent in older records. */
  stretches?: Stretch[];
}

/** The attention score a run recorded: mean mass-in-mask ÷ mask area of F_m (1 = no better than uniform). */
export interface AttentionRecord {
  /** Faces scored, the seed of the synthetic set they come from, and its distractors per face (absent: none). */
  n: number;
  seed: number;
  clutter?: number;
  ratio: number;
  /** Reference maps on the same faces: uniform (1), a centred Gaussian, and the ceiling at F_m's resolution (the
   * mask itself averaged onto F_m's grid, `maskGridMap`; absent in older records). */
  uniform: number;
  centre: number;
  ceiling?: number;
  /** The ratio after each epoch, on a smaller set of `perEpochN` faces of the same seed. */
  perEpoch: { epoch: number; ratio: number }[];
  perEpochN: number;
}

/** The machine a run used: CPU, cores, the torch backend's threads (null on other backends; a string, as records
 * written before kept FER_THREADS), 1-minute load average at the start and the end. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  threads: string | null;
  loadStart: number;
  loadEnd?: number;
}

/**
 * The machine now (load = 1-minute load average): runs share this CPU with others, so a record says how busy it was.
 *
 * @example
 * ```ts
 * machineInfo({ threads: 1 }); // { cpu: "AMD EPYC …", cores: 2, threads: "1", loadStart: 1.3 }
 * ```
 */
export function machineInfo(opts: { threads: number | null }): MachineInfo {
  let cpu = "unknown";
  try {
    cpu = /model name\s*:\s*(.+)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1]?.trim() ?? cpu;
  } catch { /* not Linux: keep "unknown" */ }
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    threads: opts.threads === null ? null : String(opts.threads),
    loadStart: Deno.loadavg()[0],
  };
}

/** What starting a run takes (see store.ts). */
export type StartRunOptions = Omit<RunRecord, "id" | "createdAt" | "gitCommit" | "status" | "epochs"> & {
  /** Parent of the run folders (default {@link defaultRunsDir}). */
  runsDir?: string;
  id?: string;
};

/** A run id: UTC time, a slug and 4 random hex digits (`20261127-203012-ckplus-cpu-small-3fa2`). */
export function newRunId(slug: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const clean = slug.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const r = crypto.getRandomValues(new Uint16Array(1))[0].toString(16).padStart(4, "0");
  return `${t}-${clean}-${r}`;
}

/** The current git commit of the working directory (null outside a repository). */
export async function gitCommit(): Promise<string | null> {
  try {
    const r = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], stdout: "piped", stderr: "null" }).output();
    return r.code === 0 ? new TextDecoder().decode(r.stdout).trim() : null;
  } catch {
    return null;
  }
}

/** Default parent of run folders: the project's `outputs/runs` whatever the working directory (env FER_OUTPUTS overrides `outputs`). */
export function defaultRunsDir(): string {
  const outputs = Deno.env.get("FER_OUTPUTS") ?? new URL("../../outputs", import.meta.url).pathname.replace(/\/$/, "");
  return `${outputs}/runs`;
}

/** The metric columns, in file order. */
export const METRIC_COLUMNS = [
  "epoch",
  "loss",
  "accuracy",
  "val_loss",
  "val_accuracy",
  "lr",
  "seconds",
  "img_per_s",
] as const satisfies readonly (keyof EpochMetrics)[];

/** The per-epoch history as `metrics.csv` text. */
export function metricsCsv(history: EpochMetrics[]): string {
  const lines = [METRIC_COLUMNS.join(",")].concat(
    history.map((h) => METRIC_COLUMNS.map((c) => String(h[c])).join(",")),
  );
  return lines.join("\n") + "\n";
}

/** Reads `metrics.csv` back into epoch rows. */
export async function readMetricsCsv(path: string): Promise<EpochMetrics[]> {
  const [head, ...lines] = (await Deno.readTextFile(path)).trim().split("\n");
  if (head !== METRIC_COLUMNS.join(",")) {
    throw new Error(`${path}: expected header "${METRIC_COLUMNS.join(",")}", got "${head}"`);
  }
  return lines.map((l) => {
    const v = l.split(",").map(Number);
    return Object.fromEntries(METRIC_COLUMNS.map((c, i) => [c, v[i]])) as unknown as EpochMetrics;
  });
}

/** Writes JSON to a temp file and renames it into place. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeTextAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** Writes text to a temp file and renames it into place. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  failpoint("atomic-rename");
  await Deno.rename(tmp, path);
}
