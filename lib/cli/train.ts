/**
 * CLI commands of the engine: `train`, `evaluate` and `demo` (`predict` is in photo.ts).
 *
 * @example
 * ```sh
 * deno task fer train --preset cpu-small --dataset ckplus --root ../shared/datasets/ckplus48 --folds 5 --by subject --epochs 10
 * deno task fer evaluate --model outputs/runs/<id>/model --dataset fer2013 --root ../shared/datasets/fer2013 --split PublicTest --json
 * deno task fer demo
 * ```
 * @module
 */
import { type Command, parse, required } from "./command.ts";
import { BACKEND_NAMES, type BackendName, selectBackend } from "../backend/select.ts";
import type { DatasetKind } from "../data/kinds.ts";
import { loadDataset } from "../data/load.ts";
import { datasetsRoot } from "../data/paths.ts";
import { pickSplit } from "../data/routing.ts";
import { lbpFor } from "../engine/inputs.ts";
import { ImageCache } from "../engine/pipeline.ts";
import { TTAS } from "../engine/config.ts";
import { evaluate } from "../engine/predict.ts";
import { trainProbe } from "../engine/probe.ts";
import type { RunRecord } from "../experiment/record.ts";
import { type ResumeRequest, resumeSpec } from "../experiment/resume.ts";
import { runExperiment } from "../experiment/run.ts";
import {
  datasetOptions,
  type DatasetSpec,
  mergeSpecs,
  parseSpec,
  type Protocol,
  resolveModel,
  resolveTrain,
  type SpecInput,
  type TrainSpec,
} from "../experiment/spec.ts";
import { readRun } from "../experiment/store.ts";
import { loadModel } from "../model/io.ts";

const datasetFlags = {
  dataset: { type: "string" },
  root: { type: "string" },
  n: { type: "string" },
  backend: { type: "string", default: "auto" },
  device: { type: "string", default: "auto" },
  precision: { type: "string", default: "fp32" },
  help: { type: "boolean", short: "h" },
} as const;

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new Error(`--${flag} must be a number, got "${v}"`);
  return x;
}

/** An object of the given entries whose value is defined (a flag not given overrides nothing). */
function given<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/** The dataset part of a spec from `--dataset KIND --root DIR --n N`. */
function datasetFlagsSpec(v: { dataset?: string; root?: string; n?: string }): Partial<DatasetSpec> {
  return given({ dataset: v.dataset as DatasetKind | undefined, root: v.root, n: num(v.n, "n") });
}

async function readSpecFile(path: string): Promise<SpecInput> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(
      `${path}: cannot read the config (${e instanceof Error ? e.message : e}); ` +
        `expected a JSON experiment spec {dataset?, model?, train?, protocol?}`,
    );
  }
}

const TRAIN_HELP =
  `usage: deno task fer train [--config SPEC.json] [--preset NAME] --dataset KIND [--root DIR] [options]
  --config FILE         an experiment spec {dataset?, model?, train?, protocol?}
                        (model/train: a preset name or {preset, ...overrides}); flags override it
  --preset NAME         model preset (cpu-small, cpu-tiny, paper, table1-…); default cpu-small
  --train-preset NAME   default | paper (lr 1e-6, batch 40) | cosine | sgd | cpu (the CPU recipe); default "default"
  --epochs N --lr X --batch N --seed N --width X --size N   overrides
  --train-split NAME --val-split NAME   split protocol (FER2013: Training / PublicTest; "holdout:0.2")
  --folds K --by subject|random         k-fold protocol instead (--only-folds 1,3: train and test those only)
  --dataset KIND --root DIR --n N       the data (fer2013, ckplus, jaffe, oulu, sequences, folder, synthetic, pack)
  --backend auto|tensorflow|webgpu|wasm|cpu|torch
  --device auto|cpu|cuda|cuda:N   torch's device (auto: CUDA when torch sees a GPU)
  --precision fp32|tf32|bf16      torch's conv/matmul precision (tf32: NVIDIA only; default fp32)
  --resume DIR          continue a run folder (after a kill)
  --tta none|flip|tencrop (the final evaluation's; recorded in the train config)
  --runs DIR (default outputs/runs)   --experiment TABLE:ROW   --json`;

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
      by: { type: "string" },
      "only-folds": { type: "string" },
      resume: { type: "string" },
      tta: { type: "string" },
      runs: { type: "string" },
      experiment: { type: "string" },
      json: { type: "boolean" },
    });
    if (v.help) return console.log(TRAIN_HELP), 0;
    // Every flag is checked before any work starts or a run folder is made.
    const by = oneOf(v.by ?? "subject", "by", ["subject", "random"] as const);
    const tta = v.tta === undefined ? undefined : oneOf(v.tta, "tta", TTAS);
    oneOf(v.backend, "backend", BACKEND_NAMES);
    const folds = v.folds === undefined ? undefined : Number(v.folds);
    if (folds !== undefined && !(Number.isInteger(folds) && folds >= 2)) {
      throw new Error(`--folds must be an integer of at least 2, got "${v.folds}"`);
    }
    const flags: ResumeRequest = {
      dataset: datasetFlagsSpec(v),
      model: given({ preset: v.preset, width: num(v.width, "width"), inputSize: num(v.size, "size") }),
      train: given({
        preset: v["train-preset"],
        epochs: num(v.epochs, "epochs"),
        lr: num(v.lr, "lr"),
        batchSize: num(v.batch, "batch"),
        seed: num(v.seed, "seed"),
        tta,
      }),
    };
    const resumed = v.resume ? await readRun(v.resume) : null;
    let input: SpecInput;
    if (resumed) {
      const fixed = ["config", "folds", "by", "only-folds", "train-split", "val-split", "experiment"].filter((f) =>
        f in v
      );
      if (fixed.length) {
        throw new Error(`--${fixed.join(", --")} cannot be given with --resume: the run's spec is in its run.json`);
      }
      input = resumeSpec(v.resume!, resumed, flags);
      if (resumed.status === "done" && resolveTrain(input.train as TrainSpec).epochs <= resumed.config.train.epochs) {
        console.error(
          `${v.resume}: the run already finished (${resumed.epochs} epochs); nothing to resume ` +
            `(--epochs N above ${resumed.config.train.epochs} trains on)`,
        );
        console.log(summaryText(v.resume!, resumed, v.json));
        return 0;
      }
    } else {
      const file = v.config ? await readSpecFile(v.config) : {};
      input = mergeSpecs(mergeSpecs({ model: "cpu-small", train: "default" }, file), flags);
    }
    if (!input.dataset?.dataset) required({}, "dataset");
    const where = v.config ?? "fer train";
    const datasetSpec = datasetOptions(input.dataset as DatasetSpec, { where, datasetsRoot: datasetsRoot() });
    const ds = await loadDataset(datasetSpec);
    if (!resumed && (folds || v["train-split"] || v["val-split"] || !input.protocol)) {
      const hasSplits = ds.samples.some((s) => s.split);
      const protocol: Protocol = folds
        ? {
          kind: "kfold",
          k: folds,
          by,
          seed: resolveTrain(typeof input.train === "string" ? { preset: input.train } : input.train ?? {}).seed,
          ...(v["only-folds"] ? { only: v["only-folds"].split(",").map((f) => num(f, "only-folds")!) } : {}),
        }
        : {
          kind: "split",
          train: v["train-split"] ?? (ds.name === "fer2013" ? "Training" : hasSplits ? "train" : "all"),
          val: v["val-split"] ?? (ds.name === "fer2013" ? "PublicTest" : "holdout:0.2"),
        };
      input = { ...input, protocol };
    }
    const spec = parseSpec(input, where);
    const chosen = await selectBackend(v.backend as BackendName, { device: v.device, precision: v.precision });
    const cannot = trainProbe(resolveModel(spec.model, ds.classes.length));
    if (cannot) {
      throw new Error(
        `backend ${chosen.backend} cannot train this model (${cannot}); train with --backend cpu or torch`,
      );
    }
    const [table, row] = (v.experiment ?? "").split(":");
    const r = await runExperiment({
      ...spec,
      dataset: ds,
      datasetSpec,
      backend: chosen.label ?? chosen.backend,
      runsDir: v.runs,
      resumeDir: v.resume,
      experiment: resumed?.experiment ?? (v.experiment ? { table, row: row ?? "" } : undefined),
    });
    console.log(summaryText(r.dir, r.record, v.json));
    return r.record.status === "done" ? 0 : 1;
  },
};

/** The summary `fer train` prints: one JSON line, or `key: value` lines. */
function summaryText(dir: string, rec: RunRecord, json?: boolean): string {
  const summary = {
    run: dir,
    status: rec.status,
    epochs: rec.epochs,
    accuracy: rec.result?.accuracy ?? rec.mean?.accuracy,
    macro_f1: rec.result?.macroF1 ?? rec.mean?.macroF1,
    ...(rec.std ? { std: rec.std } : {}),
    seconds: rec.seconds,
  };
  return json
    ? JSON.stringify(summary)
    : Object.entries(summary).map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join("\n");
}

/** `s` when it is one of `allowed`; else an error naming the flag. */
function oneOf<T extends string>(s: string | undefined, flag: string, allowed: readonly T[]): T {
  if (!(allowed as readonly (string | undefined)[]).includes(s)) {
    throw new Error(`--${flag} must be one of ${allowed.join(", ")}, got "${s}"`);
  }
  return s as T;
}

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
    const tta = oneOf(v.tta, "tta", TTAS);
    if (/privatetest/i.test(v.split!)) {
      console.error("note: PrivateTest is the final test split; report it, never select on it");
    }
    await selectBackend(v.backend as BackendName, { quiet: v.json, device: v.device, precision: v.precision });
    const fm = await loadModel(required(v, "model"));
    const ds = await loadDataset(
      datasetOptions({ ...datasetFlagsSpec(v), dataset: required(v, "dataset") as DatasetKind }),
    );
    const idx = pickSplit(ds, v.split!);
    const labels = fm.labels ?? ds.classes;
    if (labels.join(",") !== ds.classes.join(",")) {
      throw new Error(`model classes [${labels}] differ from ${ds.name}'s [${ds.classes}]`);
    }
    const rep = await evaluate({
      model: fm,
      cache: new ImageCache(ds, fm.config.inputSize),
      indices: idx,
      lbp: lbpFor(fm.config),
      tta,
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
