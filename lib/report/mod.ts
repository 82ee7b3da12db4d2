/**
 * The paper's tables and figures from run records: the experiments of each table row (run by lib/grid/),
 * recognising the same experiment across rows, the tables beside the paper's numbers, and the
 * attention study (Figure 6 made measurable).
 *
 * Direct imports from other folders (the rest goes through this mod.ts): epoch_times.ts, experiments.ts,
 *  identity.ts, paper_numbers.ts, reading.ts, runs.ts, tables.ts, testing.ts.
 *
 * @example
 * ```ts
 * import { buildTable, planTable, tableMarkdown } from "../lib/report/mod.ts";
 * const plan = await planTable("table5", { fast: true });
 * console.log(tableMarkdown(await buildTable("table5")));
 * ```
 * @module
 */
export {
  buildTable,
  type FoldComparison,
  foldComparison,
  foldComparisonMarkdown,
  type RowSource,
  table1,
  table2,
  table3,
  table4,
  table5,
  table6,
  table7,
  table8,
  tableCsv,
  tableMarkdown,
  type TableOptions,
  type TableResult,
  type TableRow,
  writeTable,
} from "./tables.ts";
export {
  CPU_PROFILE,
  cpuProfile,
  describeExperiment,
  type ExperimentConfig,
  EXPERIMENTS_DIR,
  type FastOverrides,
  loadExperiments,
  planTable,
  type ResolvedExperiment,
  resolveExperiment,
  validateExperiment,
} from "./experiments.ts";
export { experimentModel, experimentProtocol, sameExperimentRun } from "./identity.ts";
export { binomialSe, faceCount } from "./noise.ts";
export { readingMarkdown, REFERENCE_ROWS, type RowReading, type TableReading, tableReading } from "./reading.ts";
export {
  latestRunFor,
  type LoadedRun,
  type ReadRecord,
  readRecord,
  readRuns,
  RESULTS_RUNS,
  runAccuracy,
} from "./runs.ts";
export {
  attentionMarkdown,
  readCell,
  STUDY_DIR,
  type StudyCell,
  studyMarkdown,
  type StudyRow,
  studyRows,
} from "./study.ts";
export { PAPER_TABLES, type PaperRow, type PaperTable, TABLE_IDS, type TableId } from "./paper_numbers.ts";
export {
  type AttentionScore,
  attentionScore,
  type AttentionSummary,
  baselineScores,
  maskGridMap,
  summariesMarkdown,
  summarizeByClass,
  summarizeScores,
} from "../experiment/attention_score.ts";
export { type AttentionBatch, attentionOnBatch } from "../experiment/attention_eval.ts";
export {
  ATTENTION_MAIN_JOB_RECORD,
  type AttentionRecord,
  type AttentionRecordBody,
  attentionRecordMarkdown,
  type AttentionScores,
  readAttentionRecord,
} from "./attention_record.ts";
export {
  attentionFigure,
  type AttentionRun,
  type AttentionStudy,
  attentionStudy,
  type AttentionStudyOptions,
  findAttentionRun,
} from "./attention_study.ts";
