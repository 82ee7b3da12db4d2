/**
 * Classification metrics: accuracy, confusion matrix, per-class precision/recall/F1, macro-F1,
 * mean ± std, and the arg-max and cross-entropy of class probabilities.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): metrics.ts.
 *
 * @example
 * ```ts
 * import { evalReport } from "../lib/eval/mod.ts";
 * evalReport({ yTrue: [0, 1, 1], yPred: [0, 1, 0], labels: ["a", "b"], split: "val" }).macroF1;
 * ```
 * @module
 */
export {
  accuracy,
  argmaxRows,
  type ClassMetrics,
  confusionMatrix,
  crossEntropy,
  type EpochMetrics,
  type EvalReport,
  evalReport,
  type EvalReportOptions,
  macroF1,
  meanStd,
  perClassMetrics,
} from "./metrics.ts";
