/**
 * The paper tables' experiments as jobs: planning a table's grid (one job per row, fold and seed,
 * plan.ts), executing one (execute.ts, jobs.ts), checking a committed record by training a fold again
 * (check.ts), collecting the jobs' records into k-fold records (collect.ts), and submitting the jobs to
 * Slurm (slurm.ts) or Kubernetes (k8s.ts) with resources from measured epoch times (cluster.ts).
 * `fer reproduce` (lib/cli/reproduce.ts) parses the flags and prints; everything else lives here.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): check.ts, cluster.ts, jobs.ts,
 *  k8s.ts, plan.ts, sequential.ts, slurm.ts.
 *
 * @example
 * ```ts
 * import { executeExperiment, planGrid } from "../lib/grid/mod.ts";
 * const [job] = await planGrid("table5", { fast: true, rows: ["full-subject"], overrides: { k: 2 } });
 * const { record } = await executeExperiment(job.experiment, {});
 * ```
 * @module
 */
export { type CheckOptions, checkRecord, type CheckResult, checkText } from "./check.ts";
export {
  CLUSTER_CONFIG,
  type ClusterSettings,
  clusterSettings,
  type TaskResources,
  taskResources,
  UNMEASURED_TIME,
} from "./cluster.ts";
export { collectGrid, type CollectResult } from "./collect.ts";
export { executeExperiment, type ExecuteOptions, openExperimentDataset, TRAINER, type Trainer } from "./execute.ts";
export {
  experimentHash,
  foldExperiment,
  type GridJob,
  type GridOptions,
  type GridOverrides,
  gridRunId,
  type JobState,
  jobState,
  overrideExperiment,
  planGrid,
} from "./plan.ts";
export { arrayScript, collectScript, type ScriptTask, submitSlurm } from "./slurm.ts";
export { indexedJob } from "./k8s.ts";
