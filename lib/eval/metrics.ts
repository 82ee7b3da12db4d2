/**
 * Classification metrics: accuracy, confusion matrix, per-class precision/recall/F1 and macro-F1,
 * and the arg-max and mean cross-entropy of `[n·k]` class probabilities.
 *
 * Rows of the confusion matrix are true classes, columns predicted classes (scikit-learn's order).
 * A class with no predictions has precision 0; one with no support has recall 0 (sklearn's
 * `zero_division=0`); macro-F1 averages F1 over every class in `labels`.
 *
 * @example
 * ```ts
 * const r = evalReport({ yTrue: [0, 1, 1], yPred: [0, 1, 0], labels: ["a", "b"], split: "val" });
 * r.accuracy; // 0.667
 * ```
 * @module
 */

/** One row of a training run's per-epoch history (the metrics.csv columns): the engine writes it, charts read it. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  lr: number;
  seconds: number;
  img_per_s: number;
}

/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Everything an evaluation reports (the run-record contract). */
export interface EvalReport {
  split: string;
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  confusion: number[][];
  labels: string[];
}

/** Confusion matrix `m[true][pred]` over `k` classes; throws on a label outside 0..k-1. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  if (yTrue.length !== yPred.length) {
    throw new Error(`confusionMatrix: ${yTrue.length} true labels but ${yPred.length} predictions`);
  }
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i], p = yPred[i];
    if (!(Number.isInteger(t) && t >= 0 && t < k && Number.isInteger(p) && p >= 0 && p < k)) {
      throw new Error(`confusionMatrix: label pair (${t}, ${p}) at ${i} is outside 0..${k - 1}`);
    }
    m[t][p]++;
  }
  return m;
}

/** Fraction of correct predictions (0 for no samples). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new Error(`accuracy: ${yTrue.length} labels vs ${yPred.length} preds`);
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return yTrue.length ? ok / yTrue.length : 0;
}

/** Per-class metrics from a confusion matrix. */
export function perClassMetrics(confusion: number[][]): ClassMetrics[] {
  const k = confusion.length;
  return confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += confusion[r][c];
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/** Unweighted mean F1 over all classes. */
export function macroF1(confusion: number[][]): number {
  const pc = perClassMetrics(confusion);
  return pc.length ? pc.reduce((a, m) => a + m.f1, 0) / pc.length : 0;
}

/** Options of {@link evalReport}. */
export interface EvalReportOptions {
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  labels: string[];
  split: string;
}

/** The full {@link EvalReport} of a set of predictions. */
export function evalReport(opts: EvalReportOptions): EvalReport {
  const confusion = confusionMatrix(opts.yTrue, opts.yPred, opts.labels.length);
  const pcs = perClassMetrics(confusion);
  const perClass: Record<string, ClassMetrics> = {};
  opts.labels.forEach((l, i) => (perClass[l] = pcs[i]));
  return {
    split: opts.split,
    accuracy: accuracy(opts.yTrue, opts.yPred),
    macroF1: macroF1(confusion),
    perClass,
    confusion,
    labels: [...opts.labels],
  };
}

/** Mean and sample standard deviation (n-1; 0 for a single value). */
export function meanStd(values: number[]): { mean: number; std: number } {
  if (values.length === 0) throw new Error("meanStd: no values");
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/** Arg-max of each row of `[n·k]` probabilities. */
export function argmaxRows(probs: Float32Array, k: number): Int32Array {
  const n = probs.length / k, out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Mean cross-entropy of `[n·k]` probabilities against integer labels. */
export function crossEntropy(probs: Float32Array, labels: Int32Array, k: number): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, probs[i * k + labels[i]])));
  return labels.length ? s / labels.length : 0;
}
