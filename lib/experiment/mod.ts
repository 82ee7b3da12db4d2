/**
 * Orchestration: one experiment spec (dataset, model, training, protocol), running and recording an
 * experiment (split or k-fold) through a run store, the run records (with each stretch of a resumed run) and
 * their lock, what a resumed run may change, the demo, and the attention score of a trained model (mass of F_m inside synthetic faces'
 * expression masks) that the demo records.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): attention_eval.ts,
 *  attention_probe.ts, attention_score.ts, card.ts, demo.ts, hash.ts, kfold.ts, record.ts, resume.ts, run.ts, spec.ts,
 *  store.ts.
 *
 * @example
 * ```ts
 * import { parseSpec, runExperiment } from "../lib/experiment/mod.ts";
 * const spec = parseSpec(JSON.parse(await Deno.readTextFile("my-spec.json")), "my-spec.json");
 * const r = await runExperiment({ ...spec, dataset: ds, backend: "cpu" });
 * ```
 * @module
 */
export {
  datasetName,
  datasetOptions,
  type DatasetSpec,
  type ExperimentSpec,
  mergeSpecs,
  type ModelSpec,
  needsUserData,
  type ParsedSpec,
  parseSpec,
  type Protocol,
  type ProtocolInput,
  resolveModel,
  type SpecInput,
  type TrainSpec,
} from "./spec.ts";
export { type ExperimentOptions, type ExperimentResult, runExperiment } from "./run.ts";
export { extendStretch, startStretch, type Stretch } from "./stretch.ts";
export { type CardInput, modelCard, type ShipEvaluation, type ShipRecord } from "./card.ts";
export { canonicalJson, specHash } from "./hash.ts";
export {
  type FoldMemorySample,
  type FoldRow,
  foldTableCsv,
  type KfoldOptions,
  type KfoldResult,
  runKfold,
} from "./kfold.ts";
export { lockRun, type RunLock } from "./lock.ts";
export { recordedDataset, type ResumeRequest, resumeSpec } from "./resume.ts";
export {
  type AttentionRecord,
  defaultRunsDir,
  gitCommit,
  type JobTag,
  type MachineInfo,
  machineInfo,
  METRIC_COLUMNS,
  metricsCsv,
  newRunId,
  readMetricsCsv,
  type RunExperiment,
  type RunRecord,
  type StartRunOptions,
  writeJsonAtomic,
  writeTextAtomic,
} from "./record.ts";
export { fileStore, readRun, type RunStore } from "./store.ts";
export { parquetStore } from "./parquet_store.ts";
export { type DemoOptions, type DemoResult, demoSpec, runDemo } from "./demo.ts";
export { type AttentionProbe, attentionProbe, PROBE_SEED } from "./attention_probe.ts";
