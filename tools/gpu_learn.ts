/**
 * The learning half of `deno task gpu-check`: trains the paper model with the real training loop on a
 * dataset pack (`fer data pack`: the synthetic faces, CK+48, …) on whatever tfjs backend is current,
 * and scores a held-out 20% of the subjects, so a GPU run shows that the model learns there, not only
 * that steps run. Protocol: 20% of subjects are the test part; 10% of the remaining subjects are the
 * validation part for model selection; the paper's augmentation; Adam 1e-3 ("default" preset).
 * It reads no image files, so it travels in the offline bundle with the packs beside it.
 *
 * @example
 * ```ts
 * const r = await learnOnPack({ pack: "build/ckplus48.ferpack", width: 0.5, epochs: 12 });
 * console.log(r.accuracy, r.seconds_per_epoch);
 * ```
 * @module
 */
import { readPack } from "../lib/data/pack.ts";
import { splitValidation } from "../lib/data/routing.ts";
import { evaluate } from "../lib/engine/predict.ts";
import { preset } from "../lib/model/presets.ts";
import { buildModel } from "../lib/model/build.ts";
import { trainPreset } from "../lib/engine/config.ts";
import { train } from "../lib/engine/loop.ts";
import { ImageCache } from "../lib/engine/pipeline.ts";
import { lbpFor, paperAugment } from "../lib/engine/inputs.ts";

/** What {@link learnOnPack} measured. */
export interface LearnResult {
  dataset: string;
  preset: string;
  width: number;
  size: number;
  train_images: number;
  test_images: number;
  epochs: number;
  stop_reason: string;
  best_epoch: number;
  /** Accuracy on the held-out subjects (never used for selection). */
  accuracy: number;
  macro_f1: number;
  seconds_per_epoch: number;
  train_img_per_s: number;
}

/** Options of {@link learnOnPack}. */
export interface LearnOptions {
  /** A `.ferpack` file; the model's input size is the pack's size. */
  pack: string;
  /** Channel-width multiplier of the paper model (the demo's cpu-tiny is 0.125). */
  width: number;
  epochs: number;
  /** Wall-clock budget for training, in seconds (fewer epochs when the budget runs out). */
  budgetSeconds?: number;
  seed?: number;
}

/** Trains the paper model on a pack on the current tfjs backend and scores the held-out subjects. */
export async function learnOnPack(o: LearnOptions): Promise<LearnResult> {
  const seed = o.seed ?? 1;
  const ds = await readPack(o.pack);
  const all = ds.samples.map((_, i) => i);
  const { train: rest, val: test } = splitValidation(ds, all, { fraction: 0.2, by: "subject", seed });
  const { train: tr, val } = splitValidation(ds, rest, { fraction: 0.1, by: "subject", seed: seed + 1 });
  const cfg = preset("paper", { numClasses: ds.classes.length, inputSize: ds.size, width: o.width });
  const fm = buildModel(cfg);
  const lbp = lbpFor(cfg);
  const cache = new ImageCache(ds, ds.size);
  const r = await train({
    model: fm,
    dataset: ds,
    trainIndices: tr,
    valIndices: val,
    config: trainPreset("default", { epochs: o.epochs, batchSize: 32, seed }),
    lbp,
    augment: paperAugment(),
    cache,
    label: `${ds.name} w${o.width}`,
    timeBudgetSeconds: o.budgetSeconds,
  });
  const rep = await evaluate({ model: fm, cache, indices: test, lbp, split: "held-out subjects" });
  fm.model.dispose();
  const n = Math.max(1, r.history.length);
  return {
    dataset: ds.name,
    preset: "paper",
    width: o.width,
    size: ds.size,
    train_images: tr.length,
    test_images: test.length,
    epochs: r.history.length,
    stop_reason: r.stopReason,
    best_epoch: r.bestEpoch,
    accuracy: rep.accuracy,
    macro_f1: rep.macroF1,
    seconds_per_epoch: r.history.reduce((a, h) => a + h.seconds, 0) / n,
    train_img_per_s: r.history.reduce((a, h) => a + h.img_per_s, 0) / n,
  };
}
