/**
 * One epoch of training: a seeded, shuffled (and augmented) pass over the training samples with one
 * optimiser step per batch, then a prediction pass over the validation samples; the epoch's row of
 * the history. The loop (loop.ts) and its policies decide what happens between epochs.
 *
 * @example
 * ```ts
 * const m = await runEpoch({ epoch: 0, config, model: fm, optimizer, vars, classWeights, cache,
 *   trainIndices, valIndices, lr: config.lr });
 * if (m) console.log(m.val_accuracy); // null: aborted
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { Progress, type ProgressDisplay } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import { argmaxRows, crossEntropy } from "../eval/metrics.ts";
import type { FerModel } from "../model/build.ts";
import type { TrainConfig } from "./config.ts";
import type { AugmentFn, LbpFn } from "./inputs.ts";
import { trainStep } from "./step.ts";
import { hostBatches, type ImageCache, toTensors } from "./pipeline.ts";
import { predictSamples } from "./predict.ts";
import type { EpochMetrics } from "../eval/metrics.ts";

export type { EpochMetrics };

/** What one optimiser step reports (live curves, tests that interrupt a run mid-epoch). */
export interface BatchInfo {
  epoch: number;
  batch: number;
  /** The epoch's mean loss so far. */
  loss: number;
  accuracy: number;
  /** This batch's loss (the divergence guard watches it). */
  batchLoss: number;
}

/** The process's memory after an epoch: live tensors and resident set size (recorded to show it stays flat). Run
 * with `--v8-flags=--expose-gc` to take it after a full collection: without, the resident set can grow for epochs
 * with garbage V8 has not collected yet (5–9 MiB an epoch on the leak test's tiny run). */
export interface MemorySample {
  /** 1-based epoch. */
  epoch: number;
  tensors: number;
  rssMiB: number;
}

/** Options of {@link runEpoch}. */
export interface EpochOptions {
  /** 0-based epoch: seeds the epoch's shuffling and augmentation (`Rng("<seed>:epoch:<e>")`). */
  epoch: number;
  config: TrainConfig;
  model: FerModel;
  optimizer: tf.Optimizer;
  /** The variables the optimiser updates. */
  vars: tf.Variable[];
  classWeights: tf.Tensor1D;
  cache: ImageCache;
  trainIndices: number[];
  valIndices: number[];
  lbp?: LbpFn | null;
  /** The training augmentation (see `trainAugment`), used when the config has `augment` or `crop`. */
  augment?: AugmentFn | null;
  /** The epoch's learning rate (named in errors). */
  lr: number;
  /** Epochs finished before this one (the last good checkpoint, named in errors). */
  finished?: number;
  label?: string;
  /** Where the epoch's progress bar is drawn: one display shared by a run's epochs keeps a notebook cell to one line. */
  display?: ProgressDisplay;
  onBatch?: (info: BatchInfo) => void;
  signal?: AbortSignal;
}

/** Trains one epoch and validates; null when the signal aborted it (after the current batch). */
export async function runEpoch(o: EpochOptions): Promise<EpochMetrics | null> {
  const cfg = o.config, fm = o.model, e = o.epoch, k = fm.config.numClasses;
  const lbp = fm.config.lbp !== "none" ? o.lbp : null;
  const t0 = performance.now();
  const prog = new Progress({
    label: `${o.label ? o.label + " " : ""}epoch ${e + 1}/${cfg.epochs}`,
    total: o.trainIndices.length,
    unit: "img",
    display: o.display,
  });
  let lossSum = 0, correct = 0, seen = 0, b = 0;
  const rng = new Rng(`${cfg.seed}:epoch:${e}`);
  for await (
    const hb of hostBatches({
      cache: o.cache,
      indices: o.trainIndices,
      batchSize: cfg.batchSize,
      rng,
      shuffle: true,
      augment: cfg.augment || cfg.crop ? o.augment : null,
      lbp,
    })
  ) {
    const { inputs, labels } = toTensors(hb, { numClasses: k });
    const { cost, nCorrect } = trainStep({
      model: fm,
      inputs,
      labels,
      optimizer: o.optimizer,
      vars: o.vars,
      classWeights: o.classWeights,
      config: cfg,
    });
    // Asynchronous reads: the WebGPU backend cannot read synchronously under Deno.
    const [lossData, correctData] = await Promise.all([cost.data(), nCorrect.data()]);
    const loss = lossData[0];
    correct += correctData[0];
    tf.dispose([cost, nCorrect, ...inputs, labels]);
    if (!Number.isFinite(loss)) {
      throw new Error(
        `loss became ${loss} at epoch ${e + 1}, batch ${b + 1} (lr ${o.lr}); training stopped. ` +
          `The last good checkpoint is epoch ${o.finished ?? e}. Try a lower learning rate.`,
      );
    }
    lossSum += loss * hb.n;
    seen += hb.n;
    b++;
    prog.tick(hb.n, { loss: lossSum / seen, acc: correct / seen });
    o.onBatch?.({ epoch: e + 1, batch: b, loss: lossSum / seen, accuracy: correct / seen, batchLoss: loss });
    if (o.signal?.aborted) break;
  }
  if (o.signal?.aborted) {
    prog.done();
    return null;
  }
  const trainSec = (performance.now() - t0) / 1000;
  let valLoss = NaN, valAcc = NaN;
  if (o.valIndices.length > 0) {
    const { probs, labels } = await predictSamples({
      model: fm,
      cache: o.cache,
      indices: o.valIndices,
      lbp,
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
    lr: o.lr,
    seconds: (performance.now() - t0) / 1000,
    img_per_s: seen / trainSec,
  };
  prog.done({ loss: m.loss, acc: m.accuracy, val_loss: m.val_loss, val_acc: m.val_accuracy });
  return m;
}
