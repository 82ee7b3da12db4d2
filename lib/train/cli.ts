/**
 * CLI commands of the engine: `train`, `evaluate`, `predict` and `demo`.
 *
 * @example
 * ```sh
 * deno task fer train --preset cpu-small --dataset ckplus --root ../shared/datasets/ckplus48 --folds 5 --by subject --epochs 10
 * deno task fer evaluate --model outputs/runs/<id>/model --dataset fer2013 --root ../shared/datasets/fer2013 --split PublicTest --json
 * deno task fer predict --model outputs/runs/<id>/model face1.png face2.png --json
 * deno task fer demo
 * ```
 * @module
 */
import { type Command, parse, required } from "../cli/command.ts";
import type { Tta } from "../eval/evaluate.ts";
import { evaluate, predictImages } from "../eval/evaluate.ts";
import { type BackendName, selectBackend } from "./backend.ts";
import { type TrainConfig, trainPreset, validateTrainConfig } from "./config.ts";
import { runExperiment } from "./experiment.ts";
import { ImageCache } from "./pipeline.ts";
import { type Protocol, readRun } from "./record.ts";
import type { DatasetLike } from "./types.ts";
import { lbpFor, loadFer, type ModelConfig, modelPreset, openDataset, readPicture } from "./wiring.ts";
import type { LoadDatasetOptions } from "../data/load.ts";

const datasetFlags = {
  dataset: { type: "string" },
  root: { type: "string" },
  n: { type: "string" },
  backend: { type: "string", default: "auto" },
  device: { type: "string", default: "auto" },
  precision: { type: "string", default: "fp32" },
  help: { type: "boolean", short: "h" },
} as const;

function datasetOptions(v: { dataset?: string; root?: string; n?: string }): LoadDatasetOptions {
  const kind = required(v, "dataset") as LoadDatasetOptions["dataset"];
  return { dataset: kind, root: v.root, ...(v.n ? { n: Number(v.n) } : {}) };
}

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new Error(`--${flag} must be a number, got "${v}"`);
  return x;
}

/** A `--config FILE`: `{ "model": "<preset>" | {preset?, ...overrides}, "train": "<preset>" | {preset?, ...overrides} }`. */
export interface ConfigFile {
  model?: string | ({ preset?: string } & Partial<ModelConfig>);
  train?: string | ({ preset?: string } & Partial<TrainConfig>);
}

async function readConfigFile(path: string): Promise<ConfigFile> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(
      `${path}: cannot read the config (${e instanceof Error ? e.message : e}); expected JSON {model, train}`,
    );
  }
}

const TRAIN_HELP = `usage: deno task fer train (--preset NAME | --config FILE) --dataset KIND [--root DIR] [options]
  --preset NAME         model preset (cpu-small, cpu-tiny, paper, table1-…); default cpu-small
  --train-preset NAME   default | paper (lr 1e-6, batch 40) | cosine | sgd; default "default"
  --epochs N --lr X --batch N --seed N --width X --size N   overrides
  --train-split NAME --val-split NAME   split protocol (FER2013: Training / PublicTest; "holdout:0.2")
  --folds K --by subject|random         k-fold protocol instead
  --backend auto|tensorflow|webgpu|wasm|cpu|fer-native|torch
  --device auto|cpu|cuda|cuda:N   torch's device (auto: CUDA when torch sees a GPU)
  --precision fp32|tf32|bf16      torch's conv/matmul precision (tf32: NVIDIA only; default fp32)
  --resume DIR          continue a run folder (after a kill)
  --tta none|flip|tencrop   --runs DIR (default outputs/runs)   --experiment TABLE:ROW   --json`;

/** `fer train`. */
export const trainCommand: Command = {
  name: "train",
  summary: "train a model (split or k-fold), checkpointed and recorded under outputs/runs/",
  async run(args) {
    const { values: v } = parse(args, {
      ...datasetFlags,
      preset: { type: "string" },
      config: { type: "string" },
      "train-preset": { type: "string" },
      epochs: { type: "string" },
      lr: { type: "string" },
      batch: { type: "string" },
      seed: { type: "string" },
      width: { type: "string" },
      size: { type: "string" },
      "train-split": { type: "string" },
      "val-split": { type: "string" },
      folds: { type: "string" },
      by: { type: "string", default: "subject" },
      resume: { type: "string" },
      tta: { type: "string", default: "none" },
      runs: { type: "string" },
      experiment: { type: "string" },
      json: { type: "boolean" },
    });
    if (v.help) return console.log(TRAIN_HELP), 0;
    let model: ModelConfig, trainCfg: TrainConfig, protocol: Protocol;
    const resumed = v.resume ? await readRun(v.resume) : null;
    const ds: DatasetLike = resumed && !v.dataset
      ? await openDataset({
        dataset: resumed.dataset.name as LoadDatasetOptions["dataset"],
        root: resumed.dataset.root,
      })
      : await openDataset(datasetOptions(v));
    if (resumed) {
      model = resumed.config.model as ModelConfig;
      trainCfg = validateTrainConfig({ ...resumed.config.train, ...(v.epochs ? { epochs: Number(v.epochs) } : {}) });
      protocol = resumed.protocol;
    } else {
      const file = v.config ? await readConfigFile(v.config) : {};
      const m = typeof file.model === "string" ? { preset: file.model } : file.model ?? {};
      const t = typeof file.train === "string" ? { preset: file.train } : file.train ?? {};
      const { preset: mp, ...mo } = m, { preset: tp, ...to } = t;
      model = modelPreset(v.preset ?? mp ?? "cpu-small", {
        ...mo,
        numClasses: ds.classes.length,
        ...(v.width ? { width: num(v.width, "width") } : {}),
        ...(v.size ? { inputSize: num(v.size, "size") } : {}),
      });
      trainCfg = trainPreset(v["train-preset"] ?? tp ?? "default", {
        ...to,
        ...(v.epochs ? { epochs: num(v.epochs, "epochs") } : {}),
        ...(v.lr ? { lr: num(v.lr, "lr") } : {}),
        ...(v.batch ? { batchSize: num(v.batch, "batch") } : {}),
        ...(v.seed ? { seed: num(v.seed, "seed") } : {}),
      });
      if (v.by !== "subject" && v.by !== "random") throw new Error(`--by must be subject or random, got "${v.by}"`);
      const hasSplits = ds.samples.some((s) => s.split);
      protocol = v.folds ? { kind: "kfold", k: Number(v.folds), by: v.by, seed: trainCfg.seed } : {
        kind: "split",
        train: v["train-split"] ?? (ds.name === "fer2013" ? "Training" : hasSplits ? "train" : "all"),
        val: v["val-split"] ?? (ds.name === "fer2013" ? "PublicTest" : "holdout:0.2"),
      };
    }
    const chosen = await selectBackend(v.backend as BackendName, { device: v.device, precision: v.precision });
    const [table, row] = (v.experiment ?? "").split(":");
    const r = await runExperiment({
      dataset: ds,
      model,
      train: trainCfg,
      protocol,
      backend: chosen.label ?? chosen.backend,
      runsDir: v.runs,
      resumeDir: v.resume,
      tta: v.tta as Tta,
      experiment: resumed?.experiment ?? (v.experiment ? { table, row: row ?? "" } : undefined),
    });
    const rec = r.record;
    const summary = {
      run: r.dir,
      status: rec.status,
      epochs: rec.epochs,
      accuracy: rec.result?.accuracy ?? rec.mean?.accuracy,
      macro_f1: rec.result?.macroF1 ?? rec.mean?.macroF1,
      ...(rec.std ? { std: rec.std } : {}),
      seconds: rec.seconds,
    };
    console.log(
      v.json
        ? JSON.stringify(summary)
        : Object.entries(summary).map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join("\n"),
    );
    return rec.status === "done" ? 0 : 1;
  },
};

/** `fer evaluate`. */
export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "evaluate a saved model on a dataset split (accuracy, per-class P/R/F1, confusion)",
  async run(args) {
    const { values: v } = parse(args, {
      ...datasetFlags,
      model: { type: "string" },
      split: { type: "string", default: "all" },
      tta: { type: "string", default: "none" },
      json: { type: "boolean" },
    });
    if (v.help) {
      console.log(
        "usage: deno task fer evaluate --model DIR --dataset KIND --root DIR --split NAME [--tta flip] [--json]",
      );
      return 0;
    }
    if (/privatetest/i.test(v.split!)) {
      console.error("note: PrivateTest is the final test split; report it, never select on it");
    }
    await selectBackend(v.backend as BackendName, { quiet: v.json, device: v.device, precision: v.precision });
    const fm = await loadFer(required(v, "model"));
    const ds = await openDataset(datasetOptions(v));
    const idx = ds.samples.flatMap((s, i) => (v.split === "all" || s.split === v.split ? [i] : []));
    if (idx.length === 0) throw new Error(`${ds.name}: no samples in split "${v.split}"`);
    const labels = fm.labels ?? ds.classes;
    if (labels.join(",") !== ds.classes.join(",")) {
      throw new Error(`model classes [${labels}] differ from ${ds.name}'s [${ds.classes}]`);
    }
    const rep = await evaluate({
      model: fm,
      cache: new ImageCache(ds, fm.config.inputSize),
      indices: idx,
      lbp: lbpFor(fm.config),
      tta: v.tta as Tta,
      split: v.split!,
    });
    const out = {
      accuracy: rep.accuracy,
      macro_f1: rep.macroF1,
      per_class: rep.perClass,
      confusion: rep.confusion,
      labels: rep.labels,
      split: rep.split,
      n: idx.length,
    };
    if (v.json) console.log(JSON.stringify(out));
    else {
      console.log(
        `${ds.name} ${v.split}: accuracy ${(rep.accuracy * 100).toFixed(2)}%, macro-F1 ${
          rep.macroF1.toFixed(4)
        } (n=${idx.length})`,
      );
      for (const [l, m] of Object.entries(rep.perClass)) {
        console.log(
          `  ${l.padEnd(10)} P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} n ${m.support}`,
        );
      }
    }
    return 0;
  },
};

/** `fer predict`. */
export const predictCommand: Command = {
  name: "predict",
  summary: "label and class probabilities of image files with a saved model",
  async run(args) {
    const { values: v, positionals } = parse(args, {
      model: { type: "string" },
      backend: { type: "string", default: "auto" },
      device: { type: "string", default: "auto" },
      precision: { type: "string", default: "fp32" },
      tta: { type: "string", default: "none" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    }, true);
    if (v.help || positionals.length === 0) {
      console.log("usage: deno task fer predict --model DIR IMG… [--tta flip] [--json]");
      return v.help ? 0 : 2;
    }
    await selectBackend(v.backend as BackendName, { quiet: v.json, device: v.device, precision: v.precision });
    const fm = await loadFer(required(v, "model"));
    const labels = fm.labels ?? Array.from({ length: fm.config.numClasses }, (_, i) => `class${i}`);
    const imgs = await Promise.all(positionals.map((p) => readPicture(p, fm.config.inputSize)));
    const probs = await predictImages(fm, imgs, { lbp: lbpFor(fm.config), tta: v.tta as Tta });
    const k = labels.length;
    const rows = positionals.map((path, i) => {
      const p = Array.from(probs.subarray(i * k, (i + 1) * k));
      const best = p.indexOf(Math.max(...p));
      return { path, label: labels[best], probabilities: Object.fromEntries(labels.map((l, c) => [l, p[c]])) };
    });
    if (v.json) console.log(JSON.stringify(rows));
    else for (const r of rows) console.log(`${r.path}: ${r.label} (${(r.probabilities[r.label] * 100).toFixed(1)}%)`);
    return 0;
  },
};
