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
import { parse } from "../cli/command.ts";
import type { Command } from "../cli/command.ts";
import { fastMode } from "../util/mode.ts";
import { confusionMatrixFigure, lineChart, outputsDir, saveFigure } from "../viz/mod.ts";
import { type BackendName, selectBackend } from "./backend.ts";
import { trainPreset } from "./config.ts";
import { runExperiment } from "./experiment.ts";
import type { EpochMetrics } from "./loop.ts";
import { readMetricsCsv } from "./record.ts";
import { modelPreset, openDataset } from "./wiring.ts";

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
  const ds = await openDataset({ dataset: "synthetic", n: fast ? 140 : 2100, size: 48, seed: 1 });
  const model = opts.preset
    ? modelPreset(opts.preset, { numClasses: ds.classes.length })
    : modelPreset("cpu-tiny", { numClasses: ds.classes.length, inputSize: fast ? 24 : 48 });
  const train = trainPreset("default", { epochs: fast ? 2 : 16, batchSize: 32, seed: 1 });
  const r = await runExperiment({
    dataset: ds,
    model,
    train,
    protocol: { kind: "split", train: "all", val: "holdout:0.2" },
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

/** `fer demo`. */
export const demoCommand: Command = {
  name: "demo",
  summary: "the main job on synthetic faces: data → LBP → augmentation → model → training → evaluation → figures",
  async run(args) {
    const { values: v } = parse(args, {
      fast: { type: "boolean" },
      preset: { type: "string" },
      backend: { type: "string", default: "auto" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (v.help) return console.log("usage: deno task fer demo [--fast] [--preset NAME] [--backend NAME] [--json]"), 0;
    const r = await runDemo({ fast: v.fast || undefined, backend: v.backend as BackendName, preset: v.preset });
    if (v.json) console.log(JSON.stringify(r));
    else {
      console.log(
        `demo: accuracy ${(r.accuracy * 100).toFixed(1)}%, macro-F1 ${r.macroF1.toFixed(3)} in ${
          r.seconds.toFixed(0)
        } s`,
      );
      console.log(`run: ${r.runDir}`);
      for (const f of r.files) console.log(`wrote ${f}`);
    }
    return 0;
  },
};
