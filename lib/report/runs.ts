/**
 * Reads the training engine's run records — only the fields the report needs, checked, so a malformed
 * record is an error naming its file: the run folders of `outputs/runs/<id>/run.json`, and the committed
 * records of `results/runs/<name>.json` ({@link RESULTS_RUNS}: a finished run's `run.json` as the engine
 * wrote it, kept without its weights), from which the tables are rebuilt without training.
 *
 * @example
 * ```ts
 * const runs = await readRuns(["outputs/runs", RESULTS_RUNS]);
 * const best = latestRunFor(runs, "table1", "circle-lbp");
 * ```
 * @module
 */
import { join } from "node:path";
import type { RunRecord } from "../experiment/record.ts";
import { projectRoot } from "../util/root.ts";

/** The committed run records (`results/runs/*.json`), behind every number of the README and the chapters. */
export const RESULTS_RUNS: string = join(projectRoot(), "results", "runs");

/**
 * A `run.json` as read back: the fields {@link readRuns} checks are there; any other may be missing
 * (records of older engines, hand-written ones).
 */
export type ReadRecord = Pick<RunRecord, "id" | "createdAt" | "protocol" | "status"> & Partial<RunRecord>;

/** A run record, the folder of its run and the record's file. */
export interface LoadedRun {
  record: ReadRecord;
  /** The run folder (model, metrics, checkpoints); a committed record's has none of them and may not exist. */
  dir: string;
  /** `<dir>/run.json`, or a committed record's `<name>.json`. */
  file: string;
}

function check(r: ReadRecord, file: string): ReadRecord {
  const bad = (m: string): never => {
    throw new Error(`${file}: ${m}`);
  };
  if (typeof r !== "object" || r === null) bad("expected a JSON object");
  if (typeof r.id !== "string") bad(`"id" must be a string`);
  if (typeof r.createdAt !== "string") bad(`"createdAt" must be a string`);
  if (!r.protocol || (r.protocol.kind !== "split" && r.protocol.kind !== "kfold")) {
    bad(`"protocol.kind" must be split or kfold`);
  }
  if (!["running", "done", "failed", "stopped"].includes(r.status)) bad(`unknown status "${r.status}"`);
  if (r.result && typeof r.result.accuracy !== "number") bad(`"result.accuracy" must be a number`);
  if (r.mean && typeof r.mean.accuracy !== "number") bad(`"mean.accuracy" must be a number`);
  return r;
}

/**
 * Reads every `<dir>/*\/run.json` and every committed record `<dir>/*.json` of the given folders, oldest
 * first; a missing folder means no runs.
 */
export async function readRuns(runsDirs: string | string[]): Promise<LoadedRun[]> {
  const out: LoadedRun[] = [];
  for (const runsDir of typeof runsDirs === "string" ? [runsDirs] : runsDirs) {
    try {
      for await (const e of Deno.readDir(runsDir)) {
        const flat = e.isFile && e.name.endsWith(".json");
        if (!e.isDirectory && !flat) continue;
        const dir = join(runsDir, flat ? e.name.slice(0, -".json".length) : e.name);
        const file = flat ? join(runsDir, e.name) : join(dir, "run.json");
        try {
          out.push({ record: await readRecord(file), dir, file });
        } catch (err) {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
          // a folder without run.json is not a run yet; a record file gone while reading is an error, not "no runs"
          if (flat) throw new Error(`${file}: the record disappeared while the runs were read`);
        }
      }
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) continue;
      throw err;
    }
  }
  return out.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
}

/** One record file (a run's run.json or a committed record), checked; errors name the file. */
export async function readRecord(file: string): Promise<ReadRecord> {
  const text = await Deno.readTextFile(file);
  let parsed: ReadRecord;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : err})`);
  }
  return check(parsed, file);
}

/**
 * The accuracy (in [0,1]) a finished run reports, with its std for k-fold (over folds) or a grid's mean
 * over seeds (over seeds); null if it has none (one fold of a k-fold grid has no mean).
 */
export function runAccuracy(r: ReadRecord): { accuracy: number; std?: number } | null {
  if (r.status !== "done") return null;
  if (r.mean) return { accuracy: r.mean.accuracy, std: r.std?.accuracy };
  return r.protocol.kind === "split" && r.result ? { accuracy: r.result.accuracy } : null;
}

/**
 * The run that measures one table row: the newest finished full-mode run, else the newest finished
 * fast one; null when none.
 */
export function latestRunFor(runs: LoadedRun[], table: string, row: string): LoadedRun | null {
  const mine = runs.filter((r) =>
    r.record.experiment?.table === table && r.record.experiment?.row === row && runAccuracy(r.record) !== null
  );
  const full = mine.filter((r) => !r.record.experiment?.fast);
  const pick = full.length ? full : mine;
  return pick.length ? pick[pick.length - 1] : null;
}
