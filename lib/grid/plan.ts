/**
 * A table's experiment grid as jobs: one per (row, fold, seed) — a split row is one job per seed — each
 * keyed by the hash of its spec (the fold and seed in it) and run in the folder `<runs>/grid-<hash>`. A
 * job whose record there is done is skipped; one that was killed or failed resumes from its checkpoint in
 * that folder. Rows, the number of folds, epochs and seeds can be overridden for the whole grid; the
 * sequential `fer reproduce` applies the same overrides, so both run the same experiments.
 *
 * @example
 * ```ts
 * const jobs = await planGrid("table5", { fast: true, rows: ["full-subject"], overrides: { k: 2 } });
 * jobs.map((j) => `${j.id} ${j.experiment.config.row} fold ${j.fold}`); // two jobs
 * await jobState("outputs/runs", jobs[0]); // "new" | "resume" | "done" | "shared"
 * ```
 * @module
 */
import { join } from "node:path";
import { specHash } from "../experiment/hash.ts";
import { readRun } from "../experiment/store.ts";
import { parseSpec } from "../experiment/spec.ts";
import { planTable, type ResolvedExperiment } from "../report/experiments.ts";
import { sameExperimentRun } from "../report/identity.ts";
import type { LoadedRun } from "../report/runs.ts";
import type { TableId } from "../report/paper_numbers.ts";

/** Changes applied to every row of a grid (and of a sequential reproduction). */
export interface GridOverrides {
  /** Epochs of training (per fold). */
  epochs?: number;
  /** Folds of the k-fold rows. */
  k?: number;
  /** The training seed (model initialisation, batches, augmentation; not the fold assignment). */
  seed?: number;
}

/** Options of {@link planGrid}. */
export interface GridOptions {
  fast: boolean;
  cpu?: boolean;
  /** Only these rows (default: every row of the table). */
  rows?: string[];
  /** Training seeds per (row, fold): the row's own seed and the next `seeds - 1` (default 1). */
  seeds?: number;
  overrides?: GridOverrides;
  /** The experiments folder (default: this checkout's). */
  dir?: string;
}

/** One job of a grid. */
export interface GridJob {
  /** Hash of the job's spec (and, in fast mode, its data limits). */
  hash: string;
  /** Its run folder under the runs folder: `grid-<hash>`. */
  id: string;
  /** What it runs: the row's experiment with the overrides, the seed and the fold applied. */
  experiment: ResolvedExperiment;
  /** The fold it runs alone (1-based), for k-fold rows. */
  fold?: number;
  /** Its training seed. */
  seed: number;
  /** The hash of the whole experiment of its (row, seed): the k folds together, or the split job itself. */
  whole: string;
}

/** The hash a resolved experiment is keyed by: its spec and, in fast mode, how its data are cut. */
export function experimentHash(r: ResolvedExperiment): string {
  return specHash({ spec: r.spec, ...(r.fast ? { limit: { train: r.maxTrain, val: r.maxVal } } : {}) });
}

/** The run folder name of a hash. */
export function gridRunId(hash: string): string {
  return `grid-${hash}`;
}

/** The experiment with the overrides applied, checked by the one spec parser (none given: the experiment itself). */
export function overrideExperiment(r: ResolvedExperiment, o: GridOverrides): ResolvedExperiment {
  if (Object.values(o).every((v) => v === undefined)) return r;
  const { spec } = r, p = spec.protocol;
  const next = {
    ...spec,
    train: { ...spec.train, ...(o.epochs !== undefined ? { epochs: o.epochs } : {}) },
    protocol: p.kind === "kfold" && o.k !== undefined ? { ...p, k: o.k } : p,
  };
  if (o.seed !== undefined) next.train.seed = o.seed;
  const where = `${r.config.table}/${r.config.row} with ${JSON.stringify(o)}`;
  return { ...r, ...parseSpec(next, where) };
}

/** The experiment of one fold alone (1-based). */
export function foldExperiment(r: ResolvedExperiment, fold: number): ResolvedExperiment {
  const p = r.spec.protocol;
  if (p.kind !== "kfold") throw new Error(`${r.config.table}/${r.config.row} is not a k-fold row: it has no folds`);
  return { ...r, ...parseSpec({ ...r.spec, protocol: { ...p, only: [fold] } }, `${r.config.table}/${r.config.row}`) };
}

/** The jobs of one table's grid, in row, seed and fold order; see the module doc. */
export async function planGrid(table: TableId, opts: GridOptions): Promise<GridJob[]> {
  let plan = await planTable(table, { fast: opts.fast, cpu: opts.cpu, dir: opts.dir });
  if (opts.rows) {
    const have = plan.map((r) => r.config.row);
    const unknown = opts.rows.filter((r) => !have.includes(r));
    if (unknown.length) {
      throw new Error(`${table} has no row ${unknown.map((r) => `"${r}"`).join(", ")} (have ${have})`);
    }
    plan = plan.filter((r) => opts.rows!.includes(r.config.row));
  }
  const seeds = opts.seeds ?? 1;
  if (!(Number.isInteger(seeds) && seeds >= 1)) throw new Error(`seeds must be a positive integer, got ${seeds}`);
  const jobs = new Map<string, GridJob>();
  for (const row of plan) {
    const base = overrideExperiment(row, opts.overrides ?? {});
    const seed0 = base.train.seed;
    for (let s = 0; s < seeds; s++) {
      const r = s === 0 ? base : overrideExperiment(base, { seed: seed0 + s });
      const whole = experimentHash(r), p = r.spec.protocol;
      const parts = p.kind === "kfold"
        ? Array.from({ length: p.k }, (_, f) => ({ experiment: foldExperiment(r, f + 1), fold: f + 1 }))
        : [{ experiment: r, fold: undefined }];
      for (const { experiment, fold } of parts) {
        const hash = experimentHash(experiment);
        // the same experiment asked by two rows is one job (its record serves both, see identity.ts)
        if (!jobs.has(hash)) jobs.set(hash, { hash, id: gridRunId(hash), experiment, fold, seed: seed0 + s, whole });
      }
    }
  }
  return [...jobs.values()];
}

/** Where a job stands in a runs folder. */
export type JobState = "new" | "resume" | "done" | "shared";

/**
 * A job's state: "done" when its record (or the whole experiment's, assembled by the collect step) is
 * done; "resume" when its folder holds a record that is not (killed, failed, stopped); "shared" when it has
 * none but `runs` (the runs folder's, read once by the caller) hold a finished run of the same experiment made
 * for another row ({@link sharedRunOf}: Table 1's circle LBP is Table 2's complete network); else "new".
 * A record under the job's folder name but of another hash is an error naming the file.
 */
export async function jobState(runsDir: string, job: GridJob, runs: LoadedRun[] = []): Promise<JobState> {
  const whole = job.whole !== job.hash ? await recordIn(runsDir, gridRunId(job.whole), job.whole) : null;
  if (whole?.status === "done") return "done";
  const own = await recordIn(runsDir, job.id, job.hash);
  if (own === null) return sharedRunOf(runs, job) ? "shared" : "new";
  return own.status === "done" ? "done" : "resume";
}

/**
 * The finished run, among `runs`, of the job's very experiment (report/identity.ts: data, protocol, model and
 * training, seed included) made for another table row; null when there is none. The sequential `fer
 * reproduce` skips a row the same way.
 */
export function sharedRunOf(runs: LoadedRun[], job: GridJob): LoadedRun | null {
  const found = sameExperimentRun(runs, job.experiment), tag = found?.record.experiment;
  const { table, row } = job.experiment.config;
  return found && tag && (tag.table !== table || tag.row !== row) ? found : null;
}

/** The record in `<runsDir>/<id>` of the job with `hash`, null when there is none. */
export async function recordIn(runsDir: string, id: string, hash: string) {
  const dir = join(runsDir, id);
  try {
    await Deno.stat(join(dir, "run.json"));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const rec = await readRun(dir);
  if (rec.job?.hash !== hash) {
    throw new Error(`${dir}/run.json: the record of job ${rec.job?.hash ?? "(none)"} in the folder of job ${hash}`);
  }
  return rec;
}
