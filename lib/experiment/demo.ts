/**
 * `fer demo`: the README's main job on the embedded synthetic faces, end to end on a CPU —
 * data → LBP → augmentation → model → training (a few minutes; about a minute with FER_FAST=1)
 * → evaluation → confusion-matrix and training-curve PNGs plus the metrics CSV under outputs/demo/.
 *
 * The default model is `cpu-tiny` at 48×48 (the full architecture at an eighth of the channels), trained on
 * 2,100 faces for 16 epochs with the paper's augmentation: about 5 minutes on 2 cores with the fer-native
 * kernels (the network only starts to separate the classes after ~6 epochs). `--preset cpu-small` runs the
 * quarter-width model instead.
 *
 * @example
 * ```sh
 * deno task main            # = deno task fer demo
 * FER_FAST=1 deno task main # a quick smoke run
 * ```
 * @module
 */
import { fastMode } from "../util/mode.ts";
import { confusionMatrixFigure, lineChart, outputsDir, saveFigure } from "../viz/mod.ts";
import { type BackendName, selectBackend } from "../backend/select.ts";
import { baselineScores, summarizeScores } from "./attention_score.ts";
import { attentionProbe } from "./attention_probe.ts";
import { runExperiment } from "./run.ts";
import { datasetOptions, type DatasetSpec, mergeSpecs, parseSpec, resolveModel, type SpecInput } from "./spec.ts";
import type { EpochMetrics } from "../engine/epoch.ts";
import { type AttentionRecord, readMetricsCsv } from "./record.ts";
import { loadDataset } from "../data/load.ts";
import { fileStore } from "./store.ts";

/** Faces of the per-epoch attention probe (20 per class) and of the final score. */
const PROBE_FACES = { perEpoch: 140, final: 700, fastPerEpoch: 35, fastFinal: 70 } as const;

/** What the demo produced. */
export interface DemoResult {
  runDir: string;
  accuracy: number;
  macroF1: number;
  /** The trained F_m's attention score on unseen faces (chapter 08's); null for a model without attention. */
  attention: AttentionRecord | null;
  files: string[];
  seconds: number;
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Shrinks data and epochs to a smoke test (default: FER_FAST). */
  fast?: boolean;
  backend?: BackendName;
  out?: string;
  /** Another model preset (e.g. cpu-small) at the demo's training. */
  preset?: string;
  /** Leaves the backend unannounced. */
  quiet?: boolean;
  /** Overrides of the demo's spec (synthetic data size and identities, model, training), merged field by field:
   * the attention evidence sweeps sizes and epochs with these. */
  overrides?: SpecInput;
}

/** The demo's spec: the embedded synthetic faces, the eighth-width network, 16 epochs of Adam. */
export function demoSpec(fast: boolean, preset?: string): SpecInput {
  return {
    dataset: { dataset: "synthetic", n: fast ? 140 : 2100, size: 48, seed: 1 },
    model: preset ? { preset } : { preset: "cpu-tiny", inputSize: fast ? 24 : 48 },
    train: { preset: "default", epochs: fast ? 2 : 16, batchSize: 32, seed: 1 },
    protocol: { kind: "split", train: "all", val: "holdout:0.2" },
  };
}

/** Runs the demo; `fast` shrinks data and epochs to a smoke test. The trained model's F_m is scored on unseen
 * faces after every epoch and at the end, and the score kept in the run record. */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const fast = opts.fast ?? fastMode();
  const out = opts.out ?? `${outputsDir()}/demo`;
  const t0 = performance.now();
  const { backend } = await selectBackend(opts.backend ?? "auto", { quiet: opts.quiet });
  const spec = parseSpec(mergeSpecs(demoSpec(fast, opts.preset), opts.overrides ?? {}), "fer demo");
  const ds = await loadDataset(datasetOptions(spec.dataset as DatasetSpec));
  const model = resolveModel(spec.model, ds.classes.length), clutter = spec.dataset.clutter;
  const probes = model.attention
    ? {
      epoch: await attentionProbe(model.inputSize, {
        n: fast ? PROBE_FACES.fastPerEpoch : PROBE_FACES.perEpoch,
        clutter,
      }),
      final: await attentionProbe(model.inputSize, { n: fast ? PROBE_FACES.fastFinal : PROBE_FACES.final, clutter }),
    }
    : null;
  const perEpoch: AttentionRecord["perEpoch"] = [];
  const r = await runExperiment({
    ...spec,
    dataset: ds,
    backend,
    experiment: { table: "demo", row: fast ? "synthetic-fast" : "synthetic" },
    onEpoch: async (history, fm) => {
      if (probes) {
        perEpoch.push({ epoch: history.length, ratio: summarizeScores((await probes.epoch.run(fm)).scores).meanRatio });
      }
    },
  });
  let attention: AttentionRecord | null = null;
  if (probes && r.model) {
    const refs = baselineScores(probes.final.masks);
    attention = {
      n: probes.final.images.length,
      seed: probes.final.seed,
      ...(clutter ? { clutter } : {}),
      ratio: summarizeScores((await probes.final.run(r.model)).scores).meanRatio,
      uniform: refs.uniform.meanRatio,
      centre: refs.centre.meanRatio,
      perEpoch,
      perEpochN: probes.epoch.images.length,
    };
    r.record = await fileStore.update(r.dir, { attention });
  }
  const rep = r.record.result!;
  await Deno.mkdir(out, { recursive: true });
  const history: EpochMetrics[] = await readMetricsCsv(`${r.dir}/metrics.csv`);
  await Deno.copyFile(`${r.dir}/metrics.csv`, `${out}/metrics.csv`);
  const files = [`${out}/metrics.csv`];
  files.push(
    ...await saveFigure(
      confusionMatrixFigure({
        matrix: rep.confusion,
        labels: rep.labels,
        title: `synthetic hold-out, acc ${(rep.accuracy * 100).toFixed(1)}%`,
      }),
      `${out}/confusion.png`,
    ),
  );
  const x = history.map((h) => h.epoch);
  files.push(
    ...await saveFigure(
      lineChart({
        series: [
          { name: "train accuracy", x, y: history.map((h) => h.accuracy) },
          { name: "val accuracy", x, y: history.map((h) => h.val_accuracy) },
        ],
        xLabel: "epoch",
        yLabel: "accuracy",
        title: "training curves",
      }),
      `${out}/curves.png`,
    ),
  );
  return {
    runDir: r.dir,
    accuracy: rep.accuracy,
    macroF1: rep.macroF1,
    attention,
    files,
    seconds: (performance.now() - t0) / 1000,
  };
}
