/**
 * `fer demo`: the README's main job on the embedded synthetic faces, end to end on a CPU —
 * data → LBP → augmentation → model → training (a few minutes; about a minute with FER_FAST=1)
 * → evaluation → confusion-matrix and training-curve PNGs plus the metrics CSV under outputs/demo/.
 *
 * The default model is `cpu-tiny` at 48×48 (the full architecture at an eighth of the channels), trained on
 * 2,100 faces for 16 epochs with the paper's augmentation: about 5 minutes on 2 cores with the torch
 * backend (the network only starts to separate the classes after ~6 epochs). `--preset cpu-small` runs the
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
import { runExperiment } from "./run.ts";
import { datasetOptions, parseSpec } from "./spec.ts";
import type { EpochMetrics } from "../engine/epoch.ts";
import { readMetricsCsv } from "./record.ts";
import { loadDataset } from "../data/load.ts";

/** What the demo produced. */
export interface DemoResult {
  runDir: string;
  accuracy: number;
  macroF1: number;
  files: string[];
  seconds: number;
}

/** Runs the demo; `fast` shrinks data and epochs to a smoke test; `quiet` leaves the backend unannounced. */
export async function runDemo(
  opts: { fast?: boolean; backend?: BackendName; out?: string; preset?: string; quiet?: boolean } = {},
): Promise<DemoResult> {
  const fast = opts.fast ?? fastMode();
  const out = opts.out ?? `${outputsDir()}/demo`;
  const t0 = performance.now();
  const { backend } = await selectBackend(opts.backend ?? "auto", { quiet: opts.quiet });
  const spec = parseSpec({
    dataset: { dataset: "synthetic", n: fast ? 140 : 2100, size: 48, seed: 1 },
    model: opts.preset ? { preset: opts.preset } : { preset: "cpu-tiny", inputSize: fast ? 24 : 48 },
    train: { preset: "default", epochs: fast ? 2 : 16, batchSize: 32, seed: 1 },
    protocol: { kind: "split", train: "all", val: "holdout:0.2" },
  }, "fer demo");
  const ds = await loadDataset(datasetOptions(spec.dataset));
  const r = await runExperiment({
    ...spec,
    dataset: ds,
    backend,
    experiment: { table: "demo", row: fast ? "synthetic-fast" : "synthetic" },
  });
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
    files,
    seconds: (performance.now() - t0) / 1000,
  };
}
