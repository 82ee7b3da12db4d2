/**
 * `fer train`: trains a model on one split or k folds, checkpointed every epoch, recorded under the runs
 * folder (lib/experiment/run.ts); `--resume DIR` continues a run. Flags override a spec file, which overrides
 * the defaults (cpu-small, the default recipe).
 *
 * @example
 * ```sh
 * deno task fer train --preset cpu-small --dataset ckplus --root ../shared/datasets/ckplus48 --folds 5 --by subject --epochs 10
 * ```
 * @module
 */
import { type Command, DATA_FLAGS, flags, numberFlag, oneOf, required, RUNS_FLAG, RUNTIME_FLAGS } from "./command.ts";
import { runtimeOf } from "../backend/runtime.ts";
import { parseRuntime } from "../backend/runtime_flags.ts";
import { selectRuntime } from "../backend/select.ts";
import { loadDataset } from "../data/load.ts";
import { TTAS } from "../engine/config.ts";
import { trainProbe } from "../engine/probe.ts";
import type { RunRecord } from "../experiment/record.ts";
import { type ResumeRequest, resumeSpec } from "../experiment/resume.ts";
import { runExperiment } from "../experiment/run.ts";
import {
  datasetOptions,
  type DatasetSpec,
  mergeSpecs,
  type ParsedSpec,
  parseSpec,
  type ProtocolInput,
  resolveModel,
  type SpecInput,
} from "../experiment/spec.ts";
import { readRun } from "../experiment/store.ts";
import { datasetFlagsSpec, given, readSpecFile } from "./spec_flags.ts";

const TRAIN_HELP =
  `usage: deno task fer train [--config SPEC.json] [--preset NAME] --dataset KIND [--root DIR] [options]
  --config FILE         an experiment spec {dataset?, model?, train?, protocol?}
                        (model/train: a preset name or {preset, ...overrides}); flags override it
  --preset NAME         model preset (cpu-small, cpu-tiny, paper, table1-…); default cpu-small
  --train-preset NAME   default | paper (lr 1e-6, batch 40) | cosine | sgd | cpu (the CPU recipe); default "default"
  --epochs N --lr X --batch N --seed N --width X --input-size N   overrides (--size: the old name)
  --train-split NAME --val-split NAME   split protocol (FER2013: Training / PublicTest; "holdout:0.2")
  --folds K --by subject|random         k-fold protocol instead (--only-folds 1,3: train and test those only)
  --dataset KIND --root DIR --n N       the data (fer2013, ckplus, jaffe, oulu, sequences, folder, synthetic, pack)
  --backend auto|tensorflow|webgpu|wasm|cpu|torch
  --device auto|cpu|cuda|cuda:N   torch's device (auto: CUDA when torch sees a GPU)
  --precision fp32|tf32|bf16|auto   torch's conv/matmul precision (default fp32; tf32: NVIDIA only). On a
                        CPU without bf16 instructions (avx512_bf16, amx_bf16) bf16 would be emulated, ~18x
                        slower: it runs fp32, with a warning. auto: bf16 on a CPU that has them, else fp32;
                        fp32 on CUDA. run.json records the precision that ran
  --resume DIR          continue a run folder (after a kill)
  --tta none|flip|tencrop (the final evaluation's; recorded in the train config)
  --runs-dir DIR (default outputs/runs; --runs: the old name)   --experiment TABLE:ROW   --json`;

/** `fer train`. */
export const trainCommand: Command = {
  name: "train",
  summary: "train a model (split or k-fold), checkpointed and recorded under outputs/runs/",
  async run(args) {
    const f = flags(args, {
      ...DATA_FLAGS,
      ...RUNTIME_FLAGS,
      ...RUNS_FLAG,
      preset: { type: "string" },
      config: { type: "string" },
      "train-preset": { type: "string" },
      epochs: { type: "string" },
      lr: { type: "string" },
      batch: { type: "string" },
      seed: { type: "string" },
      width: { type: "string" },
      "input-size": { type: "string" },
      "train-split": { type: "string" },
      "val-split": { type: "string" },
      folds: { type: "string" },
      by: { type: "string" },
      "only-folds": { type: "string" },
      resume: { type: "string" },
      tta: { type: "string" },
      experiment: { type: "string" },
      json: { type: "boolean" },
    }, { help: TRAIN_HELP, renamed: { size: "input-size" } });
    if (!f) return 0;
    const v = f.values;
    // Every flag is checked before any work starts or a run folder is made.
    const by = oneOf(v.by ?? "subject", "by", ["subject", "random"] as const)!;
    const tta = oneOf(v.tta, "tta", TTAS);
    const runtime = runtimeOf(parseRuntime(v));
    const folds = numberFlag(v.folds, "folds", { integer: true, min: 2 });
    const request: ResumeRequest = {
      dataset: datasetFlagsSpec(v),
      model: given({
        preset: v.preset,
        width: numberFlag(v.width, "width"),
        inputSize: numberFlag(v["input-size"], "input-size"),
      }),
      train: given({
        preset: v["train-preset"],
        epochs: numberFlag(v.epochs, "epochs"),
        lr: numberFlag(v.lr, "lr"),
        batchSize: numberFlag(v.batch, "batch"),
        seed: numberFlag(v.seed, "seed"),
        tta,
      }),
    };
    const resumed = v.resume ? await readRun(v.resume) : null;
    const where = v.config ?? "fer train";
    let input: SpecInput, spec: ParsedSpec | undefined;
    if (resumed) {
      const fixed = ["config", "folds", "by", "only-folds", "train-split", "val-split", "experiment"].filter((f) =>
        f in v
      );
      if (fixed.length) {
        throw new Error(`--${fixed.join(", --")} cannot be given with --resume: the run's spec is in its run.json`);
      }
      input = resumeSpec(v.resume!, resumed, request);
      // the recorded spec is whole: it is checked before the data are read
      spec = parseSpec(input, where);
      if (resumed.status === "done" && spec.train.epochs <= resumed.config.train.epochs) {
        console.error(
          `${v.resume}: the run already finished (${resumed.epochs} epochs); nothing to resume ` +
            `(--epochs N above ${resumed.config.train.epochs} trains on)`,
        );
        console.log(summaryText(v.resume!, resumed, v.json));
        return 0;
      }
    } else {
      const file = v.config ? await readSpecFile(v.config) : {};
      input = mergeSpecs(mergeSpecs({ model: "cpu-small", train: "default" }, file), request);
    }
    if (!input.dataset?.dataset) required({}, "dataset");
    const datasetSpec = datasetOptions(input.dataset as DatasetSpec, { where });
    const ds = await loadDataset(datasetSpec);
    if (!resumed && (folds || v["train-split"] || v["val-split"] || !input.protocol)) {
      const hasSplits = ds.samples.some((s) => s.split);
      const protocol: ProtocolInput = folds
        ? {
          // the folds are drawn with the training's seed (parseSpec fills it in)
          kind: "kfold",
          k: folds,
          by,
          ...(v["only-folds"] ? { only: v["only-folds"].split(",").map((k) => numberFlag(k, "only-folds")!) } : {}),
        }
        : {
          kind: "split",
          train: v["train-split"] ?? (ds.name === "fer2013" ? "Training" : hasSplits ? "train" : "all"),
          val: v["val-split"] ?? (ds.name === "fer2013" ? "PublicTest" : "holdout:0.2"),
        };
      input = { ...input, protocol };
    }
    spec ??= parseSpec(input, where);
    const chosen = await selectRuntime(runtime);
    const cannot = trainProbe(resolveModel(spec.spec.model, ds.classes.length));
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
      runsDir: v["runs-dir"],
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
