/**
 * The training loop: seeded, checkpointed every epoch, resumable. Each epoch (epoch.ts) is followed by
 * the policies in policies/: model selection and early stopping on the validation split, the LR
 * schedule, checkpointing, and the time budget; the divergence guard watches every batch. A new rule
 * between epochs (another schedule) is a new small policy module called here; a new loss goes in loss.ts.
 *
 * Determinism: epoch e's shuffling and augmentation come from `Rng("<seed>:epoch:<e>")`; weight
 * initialisers and dropout masks that tfjs draws from `Math.random` come from a seeded stream that
 * replaces `Math.random` while `train` runs (restored afterwards) and whose state is checkpointed.
 * So a run killed anywhere and resumed from its last checkpoint replays the interrupted epoch
 * exactly and ends with the same history as an uninterrupted run.
 *
 * @example
 * ```ts
 * const r = await train({ model: fm, dataset, trainIndices, valIndices, config: trainPreset("default"),
 *   lbp: (img) => lbpInput(img, { method: "circle" }), runDir: "outputs/runs/x" });
 * console.log(r.history.at(-1)?.val_accuracy);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { failpoint } from "../util/failpoint.ts";
import { ProgressDisplay } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import { type Dataset, labelOf } from "../data/dataset.ts";
import type { FerModel } from "../model/build.ts";
import { restoreModel, snapshotModel, type StoredArray } from "./checkpoint.ts";
import type { TrainConfig } from "./config.ts";
import { type BatchInfo, type EpochMetrics, type MemorySample, runEpoch } from "./epoch.ts";
import type { AugmentFn, LbpFn } from "./inputs.ts";
import { classWeightVector } from "./loss.ts";
import { makeOptimizer, setLr } from "./optimizer.ts";
import { ImageCache } from "./pipeline.ts";
import { checkpointPath, type LoopState, resumeTraining, saveTraining } from "./policies/checkpointing.ts";
import { DivergenceGuard, divergenceMessage } from "./policies/divergence.ts";
import { initialSchedule, lrForEpoch, scheduleAfterEpoch } from "./policies/lr_schedule.ts";
import { earlyStop, initialSelection, selectAfterEpoch } from "./policies/selection.ts";
import { overBudget } from "./policies/time_budget.ts";

/** Options of {@link train}. */
export interface TrainOptions {
  model: FerModel;
  dataset: Dataset;
  trainIndices: number[];
  /** Validation samples: model selection, early stopping and plateau schedule use them only. */
  valIndices: number[];
  /** Checked where it was made (trainPreset, or parseSpec for a spec); the loop does not check it again. */
  config: TrainConfig;
  /** LBP of a picture; required when the model has an LBP input. */
  lbp?: LbpFn | null;
  /** Random augmentation (see `trainAugment`), used when the config has `augment` or `crop`. */
  augment?: AugmentFn | null;
  /** Checkpoints go to `<runDir>/checkpoint/ckpt.bin`; none are written without it. */
  runDir?: string;
  /** Continue from `<runDir>/checkpoint/ckpt.bin` if it exists. */
  resume?: boolean;
  /** Shared decoded-picture cache (k-fold reuses one). */
  cache?: ImageCache;
  /** Called after each epoch's checkpoint is written. */
  onEpoch?: (m: EpochMetrics, info: { history: EpochMetrics[]; memory: MemorySample[] }) => void | Promise<void>;
  /** Called after every optimiser step (live curves, tests that interrupt a run mid-epoch). */
  onBatch?: (info: BatchInfo) => void;
  /** Stops cleanly after the current batch (no checkpoint of the partial epoch). */
  signal?: AbortSignal;
  /** Wall-clock budget in seconds: no epoch is started that the last epoch's duration says would end
   * past it; stops with reason "time-budget" and the best epoch's weights (a fixed-time GPU check). */
  timeBudgetSeconds?: number;
  /** Progress label prefix (e.g. "fold 2/5"). */
  label?: string;
}

/** What {@link train} returns; the model holds the best epoch's weights. */
export interface RunResult {
  history: EpochMetrics[];
  /** 1-based epoch whose weights the model now holds (0 if no epoch ran). */
  bestEpoch: number;
  stopReason: "epochs" | "early-stopping" | "time-budget" | "aborted";
  /** Memory after each epoch, resumed ones included. */
  memory: MemorySample[];
  seconds: number;
  resumedFrom: number;
}

/** Trains `opts.model` in place; see the module doc for the guarantees. */
export async function train(opts: TrainOptions): Promise<RunResult> {
  const cfg = opts.config;
  const fm = opts.model, k = fm.config.numClasses, size = fm.config.inputSize;
  if (fm.config.lbp !== "none" && !opts.lbp) {
    throw new Error(`model uses LBP "${fm.config.lbp}" but no lbp function given`);
  }
  if (opts.dataset.classes.length !== k) {
    throw new Error(`${opts.dataset.name} has ${opts.dataset.classes.length} classes, the model outputs ${k}`);
  }
  if (opts.trainIndices.length === 0) throw new Error("train: no training samples");
  const cache = opts.cache ?? new ImageCache(opts.dataset, size);
  const trainLabels = opts.trainIndices.map((i) => labelOf(opts.dataset, opts.dataset.samples[i]));
  const cw = tf.tensor1d(classWeightVector(cfg.classWeights, trainLabels, k));
  const optimizer = makeOptimizer(cfg);
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const hasVal = opts.valIndices.length > 0;

  let st: LoopState = {
    epoch: 0,
    history: [],
    mathRng: new Rng(`${cfg.seed}:math`).state,
    ...initialSchedule(cfg),
    ...initialSelection(cfg),
    config: cfg,
  };
  let best: StoredArray[] | null = null;
  const ckPath = opts.runDir ? checkpointPath(opts.runDir) : null;
  const resumed = opts.resume && ckPath
    ? await resumeTraining(ckPath, { config: cfg, model: fm.model, optimizer })
    : null;
  if (resumed) ({ state: st, best } = resumed);
  const resumedFrom = st.epoch;
  const started = performance.now();
  const mathRng = Rng.fromState(st.mathRng);
  const savedRandom = Math.random;
  Math.random = () => mathRng.next();
  let stopReason: RunResult["stopReason"] = "epochs";
  const display = new ProgressDisplay(); // in a notebook: one line, the current epoch's
  const guard = new DivergenceGuard(k);
  let saved = resumed ? st.epoch : 0; // the epoch of the checkpoint on disk
  try {
    for (let e = st.epoch; e < cfg.epochs; e++) {
      const lr = lrForEpoch(cfg, st, e);
      setLr(optimizer, lr);
      const m = await runEpoch({
        epoch: e,
        config: cfg,
        model: fm,
        optimizer,
        vars,
        classWeights: cw,
        cache,
        trainIndices: opts.trainIndices,
        valIndices: opts.valIndices,
        lbp: opts.lbp,
        augment: opts.augment,
        lr,
        finished: st.epoch,
        label: opts.label,
        display,
        onBatch: (info) => {
          failpoint("batch");
          const d = guard.observe({ epoch: info.epoch, batch: info.batch, loss: info.batchLoss });
          if (d) {
            const checkpoint = ckPath && saved > 0 ? { path: ckPath, epoch: saved } : null;
            throw new Error(divergenceMessage(d, { lr, checkpoint }));
          }
          opts.onBatch?.(info);
        },
        signal: opts.signal,
      });
      if (!m) {
        stopReason = "aborted";
        break;
      }
      st.history.push(m);
      st.epoch = e + 1;
      if (selectAfterEpoch(cfg, st, m, hasVal)) best = await snapshotModel(fm.model);
      scheduleAfterEpoch(cfg, st, m, hasVal);
      st.mathRng = mathRng.state;
      st.memory = [...st.memory ?? [], memorySample(e + 1)];
      if (ckPath && !guard.climbing) {
        await saveTraining(ckPath, { state: st, model: fm.model, optimizer, best });
        saved = st.epoch;
      }
      await opts.onEpoch?.(m, { history: st.history, memory: st.memory });
      if (earlyStop(cfg, st)) {
        stopReason = "early-stopping";
        break;
      }
      const spentSeconds = (performance.now() - started) / 1000;
      if (
        overBudget({
          budgetSeconds: opts.timeBudgetSeconds,
          spentSeconds,
          lastEpochSeconds: m.seconds,
          epochsLeft: cfg.epochs - (e + 1),
        })
      ) {
        stopReason = "time-budget";
        break;
      }
    }
  } finally {
    Math.random = savedRandom;
    cw.dispose();
    optimizer.dispose();
  }
  if (best && stopReason !== "aborted") restoreModel(fm.model, best);
  return {
    history: st.history,
    bestEpoch: st.bestEpoch,
    stopReason,
    memory: st.memory ?? [],
    seconds: (performance.now() - started) / 1000,
    resumedFrom,
  };
}

/** Live tensors and resident set size now, after a full collection where the runtime exposes one
 * (`--v8-flags=--expose-gc`): otherwise the resident set also holds garbage V8 has not collected yet. */
function memorySample(epoch: number): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  return { epoch, tensors: tf.memory().numTensors, rssMiB: Math.round(Deno.memoryUsage().rss / 2 ** 20 * 10) / 10 };
}
