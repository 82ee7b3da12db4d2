/**
 * The training loop: seeded, checkpointed every epoch, resumable, with validation-based model
 * selection, LR schedules, class weights and early stopping.
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
import { Progress, ProgressDisplay } from "../util/progress.ts";
import { Rng, type RngState } from "../util/rng.ts";
import { argmaxRows, crossEntropy, predictSamples } from "../eval/evaluate.ts";
import { classWeightVector, cosineLr, type TrainConfig, validateTrainConfig } from "./config.ts";
import {
  readCheckpoint,
  restoreModel,
  restoreOptimizer,
  snapshotModel,
  snapshotOptimizer,
  type StoredArray,
  writeCheckpoint,
} from "./checkpoint.ts";
import { type AugmentFn, batchCount, hostBatches, ImageCache, type LbpFn, toTensors } from "./pipeline.ts";
import { type DatasetLike, type FerModelLike, labelIndex } from "./types.ts";

/** One row of the per-epoch history (the metrics.csv columns). */
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

/** Options of {@link train}. */
export interface TrainOptions {
  model: FerModelLike;
  dataset: DatasetLike;
  trainIndices: number[];
  /** Validation samples: model selection, early stopping and plateau schedule use them only. */
  valIndices: number[];
  config: TrainConfig;
  /** LBP of a picture; required when the model has an LBP input. */
  lbp?: LbpFn | null;
  /** Random augmentation used when `config.augment`. */
  augment?: AugmentFn | null;
  /** Checkpoints go to `<runDir>/checkpoint/ckpt.bin`; none are written without it. */
  runDir?: string;
  /** Continue from `<runDir>/checkpoint/ckpt.bin` if it exists. */
  resume?: boolean;
  /** Shared decoded-picture cache (k-fold reuses one). */
  cache?: ImageCache;
  /** Called after each epoch's checkpoint is written. */
  onEpoch?: (m: EpochMetrics, info: { history: EpochMetrics[]; numTensors: number }) => void | Promise<void>;
  /** Called after every optimiser step (live curves, tests that interrupt a run mid-epoch). */
  onBatch?: (info: { epoch: number; batch: number; loss: number; accuracy: number }) => void;
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
  seconds: number;
  resumedFrom: number;
}

interface LoopState {
  epoch: number;
  history: EpochMetrics[];
  mathRng: RngState;
  lr: number;
  plateau: { best: number; wait: number };
  early: { best: number; wait: number };
  bestEpoch: number;
  bestIsCurrent: boolean;
  config: TrainConfig;
}

/** The checkpoint path of a run folder. */
export function checkpointPath(runDir: string): string {
  return `${runDir}/checkpoint/ckpt.bin`;
}

/** Trains `opts.model` in place; see the module doc for the guarantees. */
export async function train(opts: TrainOptions): Promise<RunResult> {
  const cfg = validateTrainConfig(opts.config);
  const fm = opts.model, k = fm.config.numClasses, size = fm.config.inputSize;
  if (fm.config.lbp !== "none" && !opts.lbp) {
    throw new Error(`model uses LBP "${fm.config.lbp}" but no lbp function given`);
  }
  if (opts.dataset.classes.length !== k) {
    throw new Error(`${opts.dataset.name} has ${opts.dataset.classes.length} classes, the model outputs ${k}`);
  }
  if (opts.trainIndices.length === 0) throw new Error("train: no training samples");
  const cache = opts.cache ?? new ImageCache(opts.dataset, size);
  const trainLabels = opts.trainIndices.map((i) => labelIndex(opts.dataset, opts.dataset.samples[i]));
  const cw = tf.tensor1d(classWeightVector(cfg.classWeights, trainLabels, k));
  const optimizer = makeOptimizer(cfg);
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const higherIsBetter = cfg.earlyStopping.monitor === "val_accuracy";
  const hasVal = opts.valIndices.length > 0;

  let st: LoopState = {
    epoch: 0,
    history: [],
    mathRng: new Rng(`${cfg.seed}:math`).state,
    lr: cfg.lr,
    plateau: { best: Infinity, wait: 0 },
    early: { best: higherIsBetter ? -Infinity : Infinity, wait: 0 },
    bestEpoch: 0,
    bestIsCurrent: false,
    config: cfg,
  };
  let best: StoredArray[] | null = null;
  const ckPath = opts.runDir ? checkpointPath(opts.runDir) : null;
  if (opts.resume && ckPath && (await exists(ckPath))) {
    const ck = await readCheckpoint<LoopState>(ckPath);
    const { epochs: _a, ...was } = ck.state.config, { epochs: _b, ...now } = cfg;
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      throw new Error(
        `${ckPath}: saved with a different train config (${JSON.stringify(was)}); resume with the same one`,
      );
    }
    restoreModel(fm.model, ck.groups.model);
    if (ck.groups.optimizer.length) await restoreOptimizer(optimizer, ck.groups.optimizer);
    st = { ...ck.state, config: cfg };
    best = st.bestIsCurrent ? ck.groups.model : ck.groups.best ?? null;
  }
  const resumedFrom = st.epoch;
  const started = performance.now();
  const mathRng = Rng.fromState(st.mathRng);
  const savedRandom = Math.random;
  Math.random = () => mathRng.next();
  let stopReason: RunResult["stopReason"] = "epochs";
  const progressDisplay = new ProgressDisplay(); // in a notebook: one line, the current epoch's
  try {
    for (let e = st.epoch; e < cfg.epochs; e++) {
      if (cfg.schedule.kind === "cosine") st.lr = cosineLr(cfg.lr, cfg.schedule.minLr, e, cfg.epochs);
      setLr(optimizer, st.lr);
      const t0 = performance.now();
      const prog = new Progress({
        label: `${opts.label ? opts.label + " " : ""}epoch ${e + 1}/${cfg.epochs}`,
        total: opts.trainIndices.length,
        unit: "img",
        display: progressDisplay,
      });
      let lossSum = 0, correct = 0, seen = 0, b = 0;
      const rng = new Rng(`${cfg.seed}:epoch:${e}`);
      for await (
        const hb of hostBatches({
          cache,
          indices: opts.trainIndices,
          batchSize: cfg.batchSize,
          rng,
          shuffle: true,
          augment: cfg.augment ? opts.augment : null,
          lbp: fm.config.lbp !== "none" ? opts.lbp : null,
        })
      ) {
        const { inputs, labels } = toTensors(hb, { size, numClasses: k });
        let nCorrect: tf.Scalar | null = null;
        const cost = optimizer.minimize(
          () => {
            const pred = fm.model.apply(inputs, { training: true }) as tf.Tensor2D;
            nCorrect = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(pred, 1), tf.argMax(labels, 1)), "float32")));
            const ce = tf.neg(tf.sum(tf.mul(labels, tf.log(tf.clipByValue(pred, 1e-7, 1 - 1e-7))), 1));
            const w = tf.sum(tf.mul(labels, cw), 1);
            return tf.div(tf.sum(tf.mul(ce, w)), hb.n) as tf.Scalar;
          },
          true,
          vars,
        )!;
        // Asynchronous reads: the WebGPU backend cannot read synchronously under Deno.
        const [lossData, correctData] = await Promise.all([cost.data(), (nCorrect as tf.Scalar | null)!.data()]);
        const loss = lossData[0];
        correct += correctData[0];
        tf.dispose([cost, nCorrect!, ...inputs, labels]);
        if (!Number.isFinite(loss)) {
          throw new Error(
            `loss became ${loss} at epoch ${e + 1}, batch ${b + 1} (lr ${st.lr}); training stopped. ` +
              `The last good checkpoint is epoch ${st.epoch}. Try a lower learning rate.`,
          );
        }
        lossSum += loss * hb.n;
        seen += hb.n;
        b++;
        prog.tick(hb.n, { loss: lossSum / seen, acc: correct / seen });
        opts.onBatch?.({ epoch: e + 1, batch: b, loss: lossSum / seen, accuracy: correct / seen });
        if (opts.signal?.aborted) break;
      }
      if (opts.signal?.aborted) {
        prog.done();
        stopReason = "aborted";
        break;
      }
      const trainSec = (performance.now() - t0) / 1000;
      let valLoss = NaN, valAcc = NaN;
      if (hasVal) {
        const { probs, labels } = await predictSamples({
          model: fm,
          cache,
          indices: opts.valIndices,
          lbp: fm.config.lbp !== "none" ? opts.lbp : null,
          batchSize: Math.max(cfg.batchSize, 64),
        });
        valLoss = crossEntropy(probs, labels, k);
        const pred = argmaxRows(probs, k);
        valAcc = pred.reduce((a, p, i) => a + (p === labels[i] ? 1 : 0), 0) / labels.length;
      }
      const m: EpochMetrics = {
        epoch: e + 1,
        loss: lossSum / seen,
        accuracy: correct / seen,
        val_loss: valLoss,
        val_accuracy: valAcc,
        lr: st.lr,
        seconds: (performance.now() - t0) / 1000,
        img_per_s: seen / trainSec,
      };
      prog.done({ loss: m.loss, acc: m.accuracy, val_loss: m.val_loss, val_acc: m.val_accuracy });
      st.history.push(m);
      st.epoch = e + 1;
      // Model selection and early stopping on the validation split only.
      const monitored = hasVal ? (higherIsBetter ? m.val_accuracy : m.val_loss) : -m.loss;
      const improved = hasVal ? (higherIsBetter ? monitored > st.early.best : monitored < st.early.best) : true;
      if (improved) {
        st.early = { best: monitored, wait: 0 };
        st.bestEpoch = e + 1;
        best = await snapshotModel(fm.model);
        st.bestIsCurrent = true;
      } else {
        st.early.wait++;
        st.bestIsCurrent = false;
      }
      if (cfg.schedule.kind === "plateau") {
        const v = hasVal ? m.val_loss : m.loss;
        if (v < st.plateau.best - 1e-4) st.plateau = { best: v, wait: 0 };
        else if (++st.plateau.wait >= cfg.schedule.patience) {
          st.lr = Math.max(cfg.schedule.minLr, st.lr * cfg.schedule.factor);
          st.plateau.wait = 0;
        }
      }
      st.mathRng = mathRng.state;
      if (ckPath) {
        await writeCheckpoint(ckPath, {
          state: st,
          groups: {
            model: st.bestIsCurrent && best ? best : await snapshotModel(fm.model), // no second read of the same weights
            optimizer: await snapshotOptimizer(optimizer),
            best: st.bestIsCurrent || !best ? [] : best,
          },
        });
      }
      await opts.onEpoch?.(m, { history: st.history, numTensors: tf.memory().numTensors });
      if (cfg.earlyStopping.patience > 0 && st.early.wait >= cfg.earlyStopping.patience) {
        stopReason = "early-stopping";
        break;
      }
      const spent = (performance.now() - started) / 1000;
      if (opts.timeBudgetSeconds !== undefined && e + 1 < cfg.epochs && spent + m.seconds > opts.timeBudgetSeconds) {
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
    seconds: (performance.now() - started) / 1000,
    resumedFrom,
  };
}

function makeOptimizer(cfg: TrainConfig): tf.Optimizer {
  if (cfg.optimizer === "adam") return tf.train.adam(cfg.lr);
  return cfg.momentum > 0 ? tf.train.momentum(cfg.lr, cfg.momentum) : tf.train.sgd(cfg.lr);
}

function setLr(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.setLearningRate) o.setLearningRate(lr);
  else o.learningRate = lr;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Number of optimiser steps per epoch. */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return batchCount(n, batchSize);
}
