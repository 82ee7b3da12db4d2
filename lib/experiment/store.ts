/**
 * Run storage behind a small interface: a run is started (its folder and `run.json`, status
 * "running"), its record read and patched, and its per-epoch metrics written. {@link fileStore} keeps
 * `run.json` and `metrics.csv` with nothing but file writes (what the offline GPU bundle uses);
 * parquet_store.ts is the adapter that adds `metrics.parquet` (nodejs-polars).
 *
 * @example
 * ```ts
 * const { dir } = await fileStore.start({ config: { model, train }, dataset, protocol, backend: "cpu" });
 * await fileStore.writeMetrics(dir, history);
 * await fileStore.update(dir, { status: "done", epochs: history.length, result });
 * ```
 * @module
 */
import type { EpochMetrics } from "../engine/epoch.ts";
import { readJsonFile } from "../util/mod.ts";
import {
  defaultRunsDir,
  gitCommit,
  metricsCsv,
  newRunId,
  type RunRecord,
  type StartRunOptions,
  writeJsonAtomic,
  writeTextAtomic,
} from "./record.ts";

/** Where runs are kept. */
export interface RunStore {
  /** Creates the run folder and writes its record with status "running". */
  start(opts: StartRunOptions): Promise<{ dir: string; record: RunRecord }>;
  /** The record of the run in `dir`; an error names the file when it cannot be read. */
  read(dir: string): Promise<RunRecord>;
  /** Merges `patch` into the record (atomically) and returns the new record. */
  update(dir: string, patch: Partial<RunRecord>): Promise<RunRecord>;
  /** Writes the per-epoch history of a run or fold folder. */
  writeMetrics(dir: string, history: EpochMetrics[]): Promise<void>;
}

/** Reads `<dir>/run.json`, naming the file on error. */
export async function readRun(dir: string): Promise<RunRecord> {
  const path = `${dir}/run.json`;
  return await readJsonFile(path, "the run record") as RunRecord;
}

/** `run.json` and `metrics.csv` in `<runsDir>/<run-id>/`, written with plain (atomic) file writes. */
export const fileStore: RunStore = {
  async start(opts) {
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
  },
  read: readRun,
  async update(dir, patch) {
    const rec = { ...(await readRun(dir)), ...patch };
    await writeJsonAtomic(`${dir}/run.json`, rec);
    return rec;
  },
  writeMetrics: (dir, history) => writeTextAtomic(`${dir}/metrics.csv`, metricsCsv(history)),
};
