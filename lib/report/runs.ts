/**
 * Reads the training engine's run records (`outputs/runs/<id>/run.json`) — only the fields the
 * report needs, checked, so a malformed record is an error naming its file.
 *
 * @example
 * ```ts
 * const runs = await readRuns("outputs/runs");
 * const best = latestRunFor(runs, "table1", "circle-lbp");
 * ```
 * @module
 */
import { join } from "node:path";
import type { RunRecord } from "../experiment/record.ts";

/**
 * A `run.json` as read back: the fields {@link readRuns} checks are there; any other may be missing
 * (records of older engines, hand-written ones).
 */
export type ReadRecord = Pick<RunRecord, "id" | "createdAt" | "protocol" | "status"> & Partial<RunRecord>;

/** A run record and the folder it was read from. */
export interface LoadedRun {
  record: ReadRecord;
  dir: string;
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

/** Reads every `<runsDir>/*\/run.json`; a missing runs folder means no runs. */
export async function readRuns(runsDir: string): Promise<LoadedRun[]> {
  const out: LoadedRun[] = [];
  try {
    for await (const e of Deno.readDir(runsDir)) {
      if (!e.isDirectory) continue;
      const file = join(runsDir, e.name, "run.json");
      let text: string;
      try {
        text = await Deno.readTextFile(file);
      } catch {
        continue; // a folder without run.json is not a run (yet)
      }
      let parsed: ReadRecord;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : err})`);
      }
      out.push({ record: check(parsed, file), dir: join(runsDir, e.name) });
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  return out.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
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
