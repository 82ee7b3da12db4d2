/**
 * Run records under `outputs/runs/<run-id>/`: `run.json` (config, data summary, protocol, backend,
 * git commit, status, results), `metrics.csv` and `metrics.parquet` (one row per epoch), beside the
 * `model/` and `checkpoint/` folders. `run.json` is the contract with the reproduction tools; every
 * write is atomic (temp file + rename).
 *
 * @example
 * ```ts
 * const run = await startRun({ config: { model, train }, dataset, protocol: { kind: "split", train: "Training", val: "PublicTest" }, backend: "cpu" });
 * await writeMetrics(run.dir, history);
 * await updateRun(run.dir, { status: "done", epochs: history.length, result });
 * ```
 * @module
 */
import pl from "nodejs-polars";
import type { EvalReport } from "../eval/metrics.ts";
import type { TrainConfig } from "../engine/config.ts";
import type { ModelConfig } from "../model/config.ts";
import type { EpochMetrics } from "../engine/epoch.ts";

/** How the data were split. */
export type Protocol =
  | { kind: "split"; train: string; val: string }
  | { kind: "kfold"; k: number; by: "random" | "subject"; seed: number };

/** Which paper-table row a run belongs to; `fast` is written by `fer reproduce --fast`, `profile` by `--cpu`. */
export interface RunExperiment {
  table: string;
  row: string;
  fast?: boolean;
  profile?: string;
}

/** The content of `run.json`. */
export interface RunRecord {
  id: string;
  createdAt: string;
  gitCommit: string | null;
  experiment?: RunExperiment;
  config: { model: ModelConfig; train: TrainConfig };
  dataset: { name: string; root: string; summary: unknown };
  protocol: Protocol;
  backend: string;
  status: "running" | "done" | "failed" | "stopped";
  epochs: number;
  result?: EvalReport;
  folds?: EvalReport[];
  mean?: { accuracy: number; macroF1: number };
  std?: { accuracy: number; macroF1: number };
  /** Why a failed or stopped run ended. */
  error?: string;
  seconds?: number;
}

/** Options of {@link startRun}. */
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

/** Creates the run folder and writes `run.json` with status "running". */
export async function startRun(opts: StartRunOptions): Promise<{ dir: string; record: RunRecord }> {
  const { runsDir = defaultRunsDir(), id, ...rest } = opts;
  const record: RunRecord = {
    id: id ?? newRunId(`${rest.dataset.name}-${rest.experiment?.row ?? "run"}`),
    createdAt: new Date().toISOString(),
    gitCommit: await gitCommit(),
    ...rest,
    status: "running",
    epochs: 0,
  };
  const dir = `${runsDir}/${record.id}`;
  await Deno.mkdir(dir, { recursive: true });
  await writeJsonAtomic(`${dir}/run.json`, record);
  return { dir, record };
}

/** Reads `<dir>/run.json`, naming the file on error. */
export async function readRun(dir: string): Promise<RunRecord> {
  const path = `${dir}/run.json`;
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(`${path}: cannot read the run record (${e instanceof Error ? e.message : e})`);
  }
}

/** Merges `patch` into `<dir>/run.json` (atomic). */
export async function updateRun(dir: string, patch: Partial<RunRecord>): Promise<RunRecord> {
  const rec = { ...(await readRun(dir)), ...patch };
  await writeJsonAtomic(`${dir}/run.json`, rec);
  return rec;
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

/** Writes `metrics.csv` and `metrics.parquet` (nodejs-polars) for the epochs so far. */
export async function writeMetrics(dir: string, history: EpochMetrics[]): Promise<void> {
  const csv = [METRIC_COLUMNS.join(",")].concat(history.map((h) => METRIC_COLUMNS.map((c) => String(h[c])).join(",")));
  await writeTextAtomic(`${dir}/metrics.csv`, csv.join("\n") + "\n");
  const cols: Record<string, number[]> = {};
  for (const c of METRIC_COLUMNS) cols[c] = history.map((h) => h[c]);
  const df = pl.DataFrame(cols).withColumns(pl.col("epoch").cast(pl.Int32));
  const tmp = `${dir}/metrics.parquet.tmp-${Deno.pid}`;
  df.writeParquet(tmp);
  await Deno.rename(tmp, `${dir}/metrics.parquet`);
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

async function writeTextAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}
