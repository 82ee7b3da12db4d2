/**
 * The learning-rate schedule policy: the rate of each epoch under the config's schedule ("none",
 * "cosine" decay by epoch, "step" decay by `factor` at milestone epochs as PyTorch's `MultiStepLR`, or
 * "plateau": multiply by `factor` after `patience` epochs without a better monitored loss). Its state travels in the checkpoint, so a resumed run keeps its rate.
 *
 * @example
 * ```ts
 * const st = initialSchedule(cfg);
 * setLr(optimizer, lrForEpoch(cfg, st, e));   // before epoch e
 * scheduleAfterEpoch(cfg, st, metrics, true); // after it
 * ```
 * @module
 */
import type { TrainConfig } from "../config.ts";
import type { EpochMetrics } from "../epoch.ts";

/** The schedule's part of the training state. */
export interface ScheduleState {
  /** The rate the next (or current) epoch runs at. */
  lr: number;
  /** Plateau: best monitored loss so far and epochs since it improved. */
  plateau: { best: number; wait: number };
}

/** The state before the first epoch. */
export function initialSchedule(cfg: TrainConfig): ScheduleState {
  return { lr: cfg.lr, plateau: { best: Infinity, wait: 0 } };
}

/** Learning rate of the cosine schedule at `epoch` (0-based) of `epochs`. */
export function cosineLr(lr: number, minLr: number, epoch: number, epochs: number): number {
  return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs)));
}

/** Learning rate of step decay at `epoch` (0-based): lr · factor^(number of milestones ≤ epoch); milestone m
 * (1-based) leaves epochs 1…m at the previous rate and runs epoch m + 1 at the decayed one. */
export function stepLr(lr: number, milestones: number[], factor: number, epoch: number): number {
  return lr * factor ** milestones.filter((m) => m <= epoch).length;
}

/** The rate of epoch `e` (0-based); records it in the state. */
export function lrForEpoch(cfg: TrainConfig, st: ScheduleState, e: number): number {
  if (cfg.schedule.kind === "cosine") st.lr = cosineLr(cfg.lr, cfg.schedule.minLr, e, cfg.epochs);
  if (cfg.schedule.kind === "step") st.lr = stepLr(cfg.lr, cfg.schedule.milestones, cfg.schedule.factor, e);
  return st.lr;
}

/** After an epoch: the plateau schedule watches the validation loss (the training loss without validation). */
export function scheduleAfterEpoch(cfg: TrainConfig, st: ScheduleState, m: EpochMetrics, hasVal: boolean): void {
  if (cfg.schedule.kind !== "plateau") return;
  const v = hasVal ? m.val_loss : m.loss;
  if (v < st.plateau.best - 1e-4) st.plateau = { best: v, wait: 0 };
  else if (++st.plateau.wait >= cfg.schedule.patience) {
    st.lr = Math.max(cfg.schedule.minLr, st.lr * cfg.schedule.factor);
    st.plateau.wait = 0;
  }
}
