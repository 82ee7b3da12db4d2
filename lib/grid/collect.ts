/**
 * The collect step of a grid: once every fold job of a (row, seed) is done, their records are assembled
 * into the record a sequential k-fold run writes — the folds' reports in fold order, mean ± sample std,
 * `folds.csv`, and `fold-<i>` links to the fold jobs' folders — in `<runs>/grid-<whole hash>`; with
 * several seeds, a row's complete experiments are assembled into one record of their mean ± std over
 * seeds. Tables are then built from the records as after a sequential run. Collecting again changes
 * nothing; a job without a finished record is reported missing, unless another row's run of the same
 * experiment serves it (plan.ts's "shared": the table takes that run).
 *
 * @example
 * ```ts
 * const jobs = await planGrid("table5", { fast: true, overrides: { k: 2 } });
 * const { missing, written } = await collectGrid(jobs, "outputs/runs");
 * ```
 * @module
 */
import { join, relative } from "node:path";
import { type EvalReport, meanStd } from "../eval/metrics.ts";
import { specHash } from "../experiment/hash.ts";
import { type FoldRow, foldTableCsv } from "../experiment/kfold.ts";
import { gitCommit, type RunRecord, writeJsonAtomic } from "../experiment/record.ts";
import { type GridJob, gridRunId, jobState, recordIn } from "./plan.ts";
import { readRuns } from "../report/runs.ts";

/** What {@link collectGrid} did. */
export interface CollectResult {
  /** Ids of the records it wrote. */
  written: string[];
  /** Jobs without a finished record (and no other row's run of their experiment). */
  missing: GridJob[];
  /**
   * Ids of every finished record of the grid (folders under the runs folder), written now or before: each
   * (row, seed)'s whole experiment (a split job's own record, a k-fold row's assembled one) and each row's
   * mean over seeds; what `--collect --keep` copies to results/runs.
   */
  records: string[];
}

/** Assembles the grid's finished fold jobs into k-fold records (and seeds into means); see the module doc. */
export async function collectGrid(jobs: GridJob[], runsDir: string): Promise<CollectResult> {
  const written: string[] = [], missing: GridJob[] = [], runs = await readRuns(runsDir);
  const byWhole = Map.groupBy(jobs, (j) => j.whole);
  const complete = new Map<string, RunRecord>();
  for (const [whole, parts] of byWhole) {
    const have = await recordIn(runsDir, gridRunId(whole), whole);
    if (have?.status === "done") {
      complete.set(whole, have);
      continue;
    }
    const states = await Promise.all(parts.map((j) => jobState(runsDir, j, runs)));
    if (states.every((s) => s === "shared")) continue; // another row's run serves it: the table takes that one
    const notDone = parts.filter((_, i) => states[i] !== "done");
    missing.push(...notDone);
    if (notDone.length) continue;
    complete.set(whole, await assembleFolds(runsDir, whole, parts));
    written.push(gridRunId(whole));
  }
  // a row over several seeds: one record of the mean over its seeds' complete experiments
  const rows = Map.groupBy([...byWhole.values()].map((p) => p[0]), (j) => `${j.experiment.config.row}`);
  const means: string[] = [];
  for (const seeds of rows.values()) {
    if (seeds.length < 2 || !seeds.every((j) => complete.has(j.whole))) continue;
    const hash = specHash({ seeds: seeds.map((j) => j.whole) });
    means.push(gridRunId(hash));
    if ((await recordIn(runsDir, gridRunId(hash), hash))?.status === "done") continue;
    await assembleSeeds(runsDir, hash, seeds.map((j) => complete.get(j.whole)!), seeds.map((j) => j.seed));
    written.push(gridRunId(hash));
  }
  return { written, missing, records: [...[...complete.keys()].map(gridRunId), ...means] };
}

async function assembleFolds(runsDir: string, whole: string, parts: GridJob[]): Promise<RunRecord> {
  const recs = await Promise.all(parts.map((j) => recordIn(runsDir, j.id, j.hash))) as RunRecord[];
  const first = recs[0], dir = join(runsDir, gridRunId(whole));
  if (first.protocol.kind !== "kfold") {
    throw new Error(`${join(runsDir, parts[0].id)}: a split job is its own record; nothing to assemble`);
  }
  const { only: _, ...protocol } = first.protocol;
  await Deno.mkdir(dir, { recursive: true });
  const reports: EvalReport[] = [], rows: FoldRow[] = [];
  for (const j of parts) {
    const partDir = join(runsDir, j.id), fold = `fold-${j.fold}`;
    const file = join(partDir, fold, "report.json");
    const { report, row } = JSON.parse(await Deno.readTextFile(file)) as { report: EvalReport; row: FoldRow };
    if (row?.fold !== j.fold) throw new Error(`${file}: expected the report of fold ${j.fold}`);
    reports.push(report);
    rows.push(row);
    await Deno.remove(join(dir, fold)).catch(() => {});
    await Deno.symlink(relative(dir, join(partDir, fold)), join(dir, fold));
  }
  const acc = meanStd(reports.map((r) => r.accuracy)), f1 = meanStd(reports.map((r) => r.macroF1));
  const mean = { accuracy: acc.mean, macroF1: f1.mean }, std = { accuracy: acc.std, macroF1: f1.std };
  await Deno.writeTextFile(join(dir, "folds.csv"), foldTableCsv({ rows, mean, std }));
  return await writeAssembled(dir, recs, {
    id: gridRunId(whole),
    protocol,
    job: { hash: whole, parts: parts.map((j) => j.id) },
    folds: reports,
    mean,
    std,
  });
}

async function assembleSeeds(runsDir: string, hash: string, recs: RunRecord[], seeds: number[]): Promise<RunRecord> {
  const acc = (r: RunRecord) => r.mean ?? { accuracy: r.result!.accuracy, macroF1: r.result!.macroF1 };
  const a = meanStd(recs.map((r) => acc(r).accuracy)), f = meanStd(recs.map((r) => acc(r).macroF1));
  const dir = join(runsDir, gridRunId(hash));
  await Deno.mkdir(dir, { recursive: true });
  return await writeAssembled(dir, recs, {
    id: gridRunId(hash),
    protocol: recs[0].protocol,
    job: { hash, parts: recs.map((r) => r.id), seeds },
    mean: { accuracy: a.mean, macroF1: f.mean },
    std: { accuracy: a.std, macroF1: f.std },
  });
}

/** Writes a record made of `parts`: their experiment, config and data, the sum of their epochs and seconds. */
async function writeAssembled(
  dir: string,
  parts: RunRecord[],
  own: Pick<RunRecord, "id" | "protocol" | "job" | "mean" | "std"> & Partial<RunRecord>,
): Promise<RunRecord> {
  const one = <T>(values: T[]): T | null => values.every((v) => v === values[0]) ? values[0] : null;
  const p = parts[0];
  const record: RunRecord = {
    createdAt: new Date().toISOString(),
    // the commit the parts were trained at, when they agree; else this checkout's
    gitCommit: one(parts.map((r) => r.gitCommit)) ?? await gitCommit(),
    experiment: p.experiment,
    config: p.config,
    dataset: p.dataset,
    backend: one(parts.map((r) => r.backend)) ?? [...new Set(parts.map((r) => r.backend))].join(", "),
    status: "done",
    epochs: parts.reduce((s, r) => s + r.epochs, 0),
    seconds: parts.reduce((s, r) => s + (r.seconds ?? 0), 0),
    ...own,
  };
  await writeJsonAtomic(join(dir, "run.json"), record);
  return record;
}
