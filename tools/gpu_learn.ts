/**
 * The learning half of `deno task gpu-check`: runs the real experiment (`runExperiment`, recorded with
 * the plain file store) of the paper model on a dataset pack (`fer data pack`: the synthetic faces,
 * CK+48, …) on whatever tfjs backend is current, and scores a held-out 20% of the subjects, so a GPU run
 * shows that the model learns there, not only that steps run. Protocol: 20% of subjects are the test
 * part; 10% of the remaining subjects are the validation part for model selection; the paper's
 * augmentation; Adam 1e-3 ("default" preset). It reads no image files and loads no native addon, so
 * it travels in the offline bundle with the packs beside it.
 *
 * @example
 * ```ts
 * const r = await learnOnPack({ pack: "build/ckplus48.ferpack", width: 0.5, epochs: 12, runsDir: "gpu-runs" });
 * console.log(r.accuracy, r.seconds_per_epoch);
 * ```
 * @module
 */
import { readPack } from "../lib/data/pack.ts";
import { readMetricsCsv } from "../lib/experiment/record.ts";
import { runExperiment } from "../lib/experiment/run.ts";
import { parseSpec } from "../lib/experiment/spec.ts";
import { fileStore } from "../lib/experiment/store.ts";

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
  /** Where the run folder goes (run.json, metrics.csv, checkpoint, model). */
  runsDir: string;
  /** The backend name recorded in run.json (default: "current"). */
  backend?: string;
}

/** Trains the paper model on a pack on the current tfjs backend and scores the held-out subjects. */
export async function learnOnPack(o: LearnOptions): Promise<LearnResult> {
  const seed = o.seed ?? 1;
  const ds = await readPack(o.pack);
  const spec = parseSpec({
    dataset: { dataset: "pack", root: o.pack },
    model: { preset: "paper", inputSize: ds.size, width: o.width },
    train: { preset: "default", epochs: o.epochs, batchSize: 32, seed },
    protocol: { kind: "split", train: "all", val: "holdout:0.1", test: "holdout:0.2" },
  }, "gpu-check --learn");
  const r = await runExperiment({
    ...spec,
    dataset: ds,
    backend: o.backend ?? "current",
    experiment: { table: "gpu-check", row: `${ds.name}-w${o.width}` },
    runsDir: o.runsDir,
    store: fileStore,
    timeBudgetSeconds: o.budgetSeconds,
  });
  r.model?.model.dispose();
  const rec = r.record, history = await readMetricsCsv(`${r.dir}/metrics.csv`);
  const n = Math.max(1, history.length);
  return {
    dataset: ds.name,
    preset: "paper",
    width: o.width,
    size: ds.size,
    train_images: rec.sizes!.train,
    test_images: rec.sizes!.test,
    epochs: rec.epochs,
    stop_reason: rec.stopReason!,
    best_epoch: rec.bestEpoch!,
    accuracy: rec.result!.accuracy,
    macro_f1: rec.result!.macroF1,
    seconds_per_epoch: history.reduce((a, h) => a + h.seconds, 0) / n,
    train_img_per_s: history.reduce((a, h) => a + h.img_per_s, 0) / n,
  };
}
