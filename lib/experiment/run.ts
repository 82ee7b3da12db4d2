/**
 * One complete, recorded experiment: run folder + run.json → training (one split, or k-fold) with
 * per-epoch checkpoints and metrics → best model saved → evaluation → run.json finished. The CLI,
 * the demo, the notebooks and the reproduction tools all go through here.
 *
 * @example
 * ```ts
 * const r = await runExperiment({ dataset: ds, model: modelPreset("cpu-small", { numClasses: 7 }),
 *   train: trainPreset("default"), protocol: { kind: "split", train: "Training", val: "PublicTest" }, backend: "cpu" });
 * console.log(r.dir, r.record.result?.accuracy);
 * ```
 * @module
 */
import type { Tta } from "../engine/predict.ts";
import { evaluate } from "../engine/predict.ts";
import { runKfold } from "./kfold.ts";
import type { TrainConfig } from "../engine/config.ts";
import type { EpochMetrics } from "../engine/epoch.ts";
import { train } from "../engine/loop.ts";
import { ImageCache } from "../engine/pipeline.ts";
import type { Protocol, RunExperiment, RunRecord } from "./record.ts";
import type { RunStore } from "./store.ts";
import { lbpFor, paperAugment } from "../engine/inputs.ts";
import type { Dataset } from "../data/dataset.ts";
import { kFold, splitProtocolIndices } from "../data/routing.ts";
import { summarize } from "../data/summary.ts";
import { buildModel, type FerModel } from "../model/build.ts";
import type { ModelConfig } from "../model/config.ts";
import { saveModel } from "../model/io.ts";

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  dataset: Dataset;
  model: ModelConfig;
  train: TrainConfig;
  /**
   * `split`: `train`/`val` are sample split names (FER2013: Training / PublicTest), or
   * `val: "holdout:0.2"` to hold out 20 % (by subject where samples have one) of `train` ("all" = every sample).
   */
  protocol: Protocol;
  backend: string;
  experiment?: RunExperiment;
  /** Parent of run folders (default outputs/runs). */
  runsDir?: string;
  /** Continue the run in this folder (its run.json and checkpoints). */
  resumeDir?: string;
  tta?: Tta;
  signal?: AbortSignal;
  /** Called after every epoch (split protocol) with the history so far: live curves. */
  onEpoch?: (history: EpochMetrics[]) => void | Promise<void>;
  /** Where the run is recorded (default: the parquet adapter, loaded on first use). */
  store?: RunStore;
}

/** The finished run. */
export interface ExperimentResult {
  dir: string;
  record: RunRecord;
  /** The trained model (split protocol; the last fold's for k-fold is not kept). */
  model: FerModel | null;
}

/** Runs and records one experiment; see the module doc. */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentResult> {
  const ds = opts.dataset, store = opts.store ?? await parquetStore();
  if (opts.model.numClasses !== ds.classes.length) {
    throw new Error(`model has ${opts.model.numClasses} classes, ${ds.name} has ${ds.classes.length}`);
  }
  const { dir } = opts.resumeDir
    ? {
      dir: opts.resumeDir,
      ...await store.update(opts.resumeDir, { status: "running", config: { model: opts.model, train: opts.train } }),
    }
    : await store.start({
      runsDir: opts.runsDir,
      experiment: opts.experiment,
      config: { model: opts.model, train: opts.train },
      dataset: { name: ds.name, root: ds.root, summary: summarize(ds) },
      protocol: opts.protocol,
      backend: opts.backend,
    });
  if (opts.resumeDir) {
    const was = await store.read(dir);
    if (JSON.stringify(was.config.model) !== JSON.stringify(opts.model)) {
      throw new Error(`${dir}/run.json: saved with another model config; resume with the same one`);
    }
  }
  const lbp = lbpFor(opts.model);
  const augment = opts.train.augment ? paperAugment() : null;
  const t0 = performance.now();
  try {
    if (opts.protocol.kind === "split") {
      const { train: tr, val } = splitProtocolIndices(ds, opts.protocol, opts.train.seed);
      const fm = buildModel(opts.model);
      const cache = new ImageCache(ds, opts.model.inputSize);
      const r = await train({
        model: fm,
        dataset: ds,
        trainIndices: tr,
        valIndices: val,
        config: opts.train,
        lbp,
        augment,
        runDir: dir,
        resume: true,
        cache,
        signal: opts.signal,
        onEpoch: async (_m, { history }) => {
          await store.writeMetrics(dir, history);
          await store.update(dir, { epochs: history.length });
          await opts.onEpoch?.(history);
        },
      });
      if (r.stopReason === "aborted") {
        return { dir, record: await store.update(dir, { status: "stopped", error: "aborted" }), model: fm };
      }
      await saveModel({ ...fm, labels: ds.classes }, `${dir}/model`);
      const result = await evaluate({ model: fm, cache, indices: val, lbp, tta: opts.tta, split: opts.protocol.val });
      const record = await store.update(dir, {
        status: "done",
        epochs: r.history.length,
        result,
        seconds: (performance.now() - t0) / 1000,
      });
      return { dir, record, model: fm };
    }
    const p = opts.protocol;
    const folds = kFold(ds.samples, { k: p.k, seed: p.seed, by: p.by });
    let epochs = 0;
    const r = await runKfold({
      dataset: ds,
      folds,
      by: p.by,
      build: () => buildModel(opts.model),
      config: opts.train,
      lbp,
      augment,
      tta: opts.tta,
      runDir: dir,
      store,
      onFold: async (f, _rep, fm, history) => {
        epochs += history.length;
        await saveModel({ ...fm, labels: ds.classes }, `${dir}/fold-${f + 1}/model`);
      },
    });
    const record = await store.update(dir, {
      status: "done",
      epochs,
      folds: r.folds,
      mean: r.mean,
      std: r.std,
      seconds: (performance.now() - t0) / 1000,
    });
    return { dir, record, model: null };
  } catch (e) {
    await store.update(dir, { status: "failed", error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** The parquet adapter, imported on first use through a variable specifier: bundles that pass their own
 * store (the offline GPU check) never load nodejs-polars. */
async function parquetStore(): Promise<RunStore> {
  const adapter = "./parquet_store.ts";
  return ((await import(adapter)) as typeof import("./parquet_store.ts")).parquetStore;
}
