/**
 * The sequential `fer reproduce`: a table's rows trained one after another in this process, each skipped
 * when a finished run of the same experiment is in the runs folder (identity.ts: one run of the paper's
 * full model serves every table that has it), each finished record kept under results/runs/ when asked.
 * Progress goes to stderr, one line per row.
 *
 * @example
 * ```ts
 * const plan = await planTable("table5", { fast: true });
 * await reproduceRows(plan, { runsDir: "outputs/runs" });
 * ```
 * @module
 */
import { basename, join } from "node:path";
import type { RuntimeRequest } from "../backend/runtime.ts";
import { describeExperiment, type ResolvedExperiment } from "../report/experiments.ts";
import { sameExperimentRun } from "../report/identity.ts";
import { readRuns, RESULTS_RUNS, runAccuracy } from "../report/runs.ts";
import { executeExperiment } from "./execute.ts";

/** Options of {@link reproduceRows}. */
export interface SequentialOptions {
  /** The runs folder: where runs go, and where an earlier run of the same experiment is looked for. */
  runsDir: string;
  /** The dataset folder for data the user supplies. */
  root?: string;
  runtime?: RuntimeRequest;
  /** Train even when the same experiment was run. */
  rerun?: boolean;
  /** Copy each finished record to results/runs/<run id>.json. */
  keep?: boolean;
}

/** Copies a finished run's run.json to `<into>/<id>.json`, results/runs by default (the weights stay in the run folder). */
export async function keepRecord(dir: string, into: string = RESULTS_RUNS): Promise<string> {
  await Deno.mkdir(into, { recursive: true });
  const to = join(into, `${basename(dir)}.json`);
  await Deno.copyFile(join(dir, "run.json"), to);
  return to;
}

/** Trains the plan's rows in turn; see the module doc. */
export async function reproduceRows(plan: ResolvedExperiment[], opts: SequentialOptions): Promise<void> {
  for (const [i, r] of plan.entries()) {
    console.error(`[${i + 1}/${plan.length}] ${describeExperiment(r)}`);
    const prior = opts.rerun ? null : sameExperimentRun(await readRuns(opts.runsDir), r);
    if (prior) {
      const tag = prior.record.experiment ? ` (${prior.record.experiment.table}/${prior.record.experiment.row})` : "";
      console.error(`  same experiment already run: ${prior.record.id}${tag}; not training again (--rerun does)`);
      continue;
    }
    const { dir, record } = await executeExperiment(r, {
      root: opts.root,
      runsDir: opts.runsDir,
      runtime: opts.runtime,
    });
    const acc = runAccuracy(record);
    console.error(`  run ${record.id}: ${record.status}${acc ? `, accuracy ${(100 * acc.accuracy).toFixed(2)}%` : ""}`);
    if (opts.keep && record.status === "done") console.error(`  kept as ${await keepRecord(dir)}`);
  }
}
