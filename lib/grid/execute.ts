/**
 * Executes one resolved experiment config: opens the dataset through lib/data (fast mode: an evenly
 * spaced subset) and runs the spec through lib/experiment's `runExperiment` (split or k-fold), which
 * leaves `outputs/runs/<id>/run.json` tagged with the table row and whether it was a fast run.
 *
 * @example
 * ```ts
 * const [plan] = await planTable("table5", { fast: true, row: "full-subject" });
 * const { dir, record } = await executeExperiment(plan, {});
 * ```
 * @module
 */
import { type Runtime, runtimeOf, type RuntimeRequest } from "../backend/runtime.ts";
import { selectRuntime } from "../backend/select.ts";
import type { Dataset } from "../data/dataset.ts";
import { loadDataset } from "../data/load.ts";
import { limitDataset } from "../data/routing.ts";
import { join } from "node:path";
import { defaultRunsDir, type RunRecord } from "../experiment/record.ts";
import { type ExperimentOptions, runExperiment } from "../experiment/run.ts";
import { datasetOptions } from "../experiment/spec.ts";
import type { ResolvedExperiment } from "../report/experiments.ts";

/** Options of {@link executeExperiment}. */
export interface ExecuteOptions {
  /** The dataset folder itself, for data the user supplies (JAFFE, Oulu-CASIA, NCUFE). */
  root?: string;
  /** Parent of run folders (default outputs/runs). */
  runsDir?: string;
  /** Where it runs, as the flags gave it; the row's backend, its profile's precision and the defaults fill the
   * rest (backend/runtime.ts). */
  runtime?: RuntimeRequest;
  /** A grid job: its folder name and tag, and whether it continues there (see grid.ts). */
  job?: { id: string; hash: string; resume: boolean };
}

/** Opens the config's dataset (the user's `root` for data that cannot be redistributed); fast mode takes a subset. */
export async function openExperimentDataset(r: ResolvedExperiment, opts: ExecuteOptions = {}): Promise<Dataset> {
  const c = r.config, d = r.spec.dataset;
  // the user's root, else the row's folder under this checkout's datasets root (FER_DATA or ../shared/datasets)
  const ds = await loadDataset(datasetOptions(d, { root: opts.root, where: `${c.table}/${c.row}` }));
  if (!r.fast) return ds;
  const p = r.spec.protocol;
  return limitDataset(ds, p.kind === "split" ? p : { kind: "kfold" }, r.maxTrain!, r.maxVal!);
}

/** What a grid job trains with: starting the runtime and running the experiment (lib/backend, lib/experiment);
 * tests pass their own. */
export interface Trainer {
  selectRuntime(rt: Runtime): Promise<{ backend: string; label?: string }>;
  runExperiment(
    opts: Pick<
      ExperimentOptions,
      "dataset" | "spec" | "train" | "backend" | "experiment" | "runsDir" | "id" | "job" | "resumeDir"
    >,
  ): Promise<{ dir: string; record: RunRecord }>;
}

/** The real one. */
export const TRAINER: Trainer = {
  selectRuntime: (rt) => selectRuntime(rt),
  runExperiment: (o) => runExperiment(o),
};

/** Trains and evaluates one configuration; returns its run folder and finished record. */
export async function executeExperiment(
  r: ResolvedExperiment,
  opts: ExecuteOptions = {},
  trainer: Trainer = TRAINER,
): Promise<{ dir: string; record: RunRecord }> {
  const c = r.config;
  const ds = await openExperimentDataset(r, opts);
  const chosen = await trainer.selectRuntime(
    runtimeOf(opts.runtime ?? {}, { backend: r.backend, precision: r.precision }),
  );
  // `fast` travels in run.json so the tables can flag CI-sized runs
  const experiment = { table: c.table, row: c.row, fast: r.fast, ...(r.profile ? { profile: r.profile } : {}) };
  const job = opts.job;
  return await trainer.runExperiment({
    dataset: ds,
    spec: r.spec,
    train: r.train,
    backend: chosen.label ?? chosen.backend,
    experiment,
    runsDir: opts.runsDir,
    ...(job && { id: job.id, job: { hash: job.hash } }),
    ...(job?.resume && { resumeDir: join(opts.runsDir ?? defaultRunsDir(), job.id) }),
  });
}
