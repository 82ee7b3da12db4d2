/**
 * What makes two runs the same experiment: the dataset, the protocol, and the model and training configs
 * they were built with — not the table row that asked for them. The paper's full model is a row of
 * Tables 1 (circle LBP), 2 (complete), 3 (E) and 4 (full); one finished run serves all four, and
 * `fer reproduce` does not train it again (`--rerun` does).
 *
 * @example
 * ```ts
 * const [r] = await planTable("table4", { fast: false, cpu: true, row: "full" });
 * const prior = sameExperimentRun(await readRuns("outputs/runs"), r); // e.g. the table2/complete run
 * ```
 * @module
 */
import type { ModelConfig } from "../model/config.ts";
import { canonicalJson as canonical } from "../experiment/hash.ts";
import { datasetName, type Protocol, resolveModel } from "../experiment/spec.ts";
import type { ResolvedExperiment } from "./experiments.ts";
import { type LoadedRun, runAccuracy } from "./runs.ts";

/** The model config of a resolved experiment for a dataset with `numClasses` classes. */
export function experimentModel(r: ResolvedExperiment, numClasses: number): ModelConfig {
  return resolveModel(r.spec.model, numClasses);
}

/** The run protocol of a resolved experiment. */
export function experimentProtocol(r: ResolvedExperiment): Protocol {
  return r.spec.protocol;
}

/**
 * The newest finished run (with a result) of the same experiment as `r`, whichever table row it was
 * made for: same dataset without the classes `r` excludes (read from the run's dataset summary), fast
 * flag, protocol, model config (at the run's class count) and training config; null when none.
 */
export function sameExperimentRun(runs: LoadedRun[], r: ResolvedExperiment): LoadedRun | null {
  const protocol = canonical(experimentProtocol(r)), train = canonical(r.train);
  for (const run of [...runs].reverse()) {
    const rec = run.record;
    if (rec.status !== "done" || runAccuracy(rec) === null) continue;
    if (rec.dataset?.name !== datasetName(r.spec.dataset) || (rec.experiment?.fast === true) !== r.fast) continue;
    const classes = (rec.dataset?.summary as { classes?: unknown } | undefined)?.classes;
    if (!Array.isArray(classes) || (r.spec.dataset.dropContempt && classes.includes("contempt"))) continue;
    const model = rec.config?.model as { numClasses?: number } | undefined;
    if (typeof model?.numClasses !== "number") continue;
    if (canonical(rec.protocol) !== protocol || canonical(rec.config?.train) !== train) continue;
    if (canonical(model) === canonical(experimentModel(r, model.numClasses))) return run;
  }
  return null;
}
