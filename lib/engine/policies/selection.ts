/**
 * Model selection and early stopping, on the validation split only: after each epoch the monitored
 * metric (`earlyStopping.monitor`: validation accuracy or loss; the training loss when there is no
 * validation part) decides whether this epoch is the best so far (its weights are kept and restored at
 * the end) and, with `patience` > 0, whether to stop. With `keep: "last"` every epoch is the one kept, so the
 * run ends with the last epoch's weights; the metric still drives early stopping.
 *
 * @example
 * ```ts
 * const st = initialSelection(cfg);
 * if (selectAfterEpoch(cfg, st, metrics, true)) best = await snapshotModel(model);
 * if (earlyStop(cfg, st)) break;
 * ```
 * @module
 */
import type { TrainConfig } from "../config.ts";
import type { EpochMetrics } from "../epoch.ts";

/** The selection's part of the training state. */
export interface SelectionState {
  /** Best monitored value so far and epochs since it improved. */
  early: { best: number; wait: number };
  /** 1-based epoch of the best weights (0 before any epoch). */
  bestEpoch: number;
  /** The last epoch was the best one (its weights are the model's current weights). */
  bestIsCurrent: boolean;
}

/** The state before the first epoch. */
export function initialSelection(cfg: TrainConfig): SelectionState {
  const higherIsBetter = cfg.earlyStopping.monitor === "val_accuracy";
  return { early: { best: higherIsBetter ? -Infinity : Infinity, wait: 0 }, bestEpoch: 0, bestIsCurrent: false };
}

/** After epoch `m`: true when it is the best epoch so far (the caller keeps its weights). */
export function selectAfterEpoch(cfg: TrainConfig, st: SelectionState, m: EpochMetrics, hasVal: boolean): boolean {
  const higherIsBetter = cfg.earlyStopping.monitor === "val_accuracy";
  const monitored = hasVal ? (higherIsBetter ? m.val_accuracy : m.val_loss) : -m.loss;
  const improved = hasVal ? (higherIsBetter ? monitored > st.early.best : monitored < st.early.best) : true;
  if (improved) st.early = { best: monitored, wait: 0 };
  else st.early.wait++;
  const kept = improved || cfg.keep === "last";
  if (kept) st.bestEpoch = m.epoch;
  st.bestIsCurrent = kept;
  return kept;
}

/** True when the monitored metric has not improved for `earlyStopping.patience` epochs (never for 0). */
export function earlyStop(cfg: TrainConfig, st: SelectionState): boolean {
  return cfg.earlyStopping.patience > 0 && st.early.wait >= cfg.earlyStopping.patience;
}
