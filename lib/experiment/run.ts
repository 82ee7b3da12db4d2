/**
 * One complete, recorded experiment: run folder + run.json → training (one split, or k-fold) with
 * per-epoch checkpoints and metrics → best model saved → evaluation → run.json finished. The CLI,
 * the demo, the notebooks, the reproduction tools and the GPU check all go through here. It takes a spec
 * as spec.ts's parser returns it: the spec as written (recorded) and its training resolved there; the
 * model is a spec too (a preset and overrides), resolved here with the dataset's number of classes.
 *
 * @example
 * ```ts
 * const r = await runExperiment({
 *   ...parseSpec({ dataset: { dataset: "fer2013" }, model: "cpu-small", train: "default",
 *     protocol: { kind: "split", train: "Training", val: "PublicTest" } }, "my run"),
 *   dataset: ds,
 *   backend: "cpu",
 * });
 * console.log(r.dir, r.record.result?.accuracy);
 * ```
 * @module
 */
import { activeRuntime } from "../backend/select.ts";
import type { Dataset } from "../data/dataset.ts";
import type { DatasetKind } from "../data/kinds.ts";
import { kFold, splitProtocolIndices } from "../data/routing.ts";
import { contentHash } from "../data/content_hash.ts";
import { summarize } from "../data/summary.ts";
import type { EpochMetrics } from "../engine/epoch.ts";
import { lbpFor, trainAugment } from "../engine/inputs.ts";
import { train } from "../engine/loop.ts";
import { ImageCache } from "../engine/pipeline.ts";
import { evaluate } from "../engine/predict.ts";
import { buildModel, type FerModel } from "../model/build.ts";
import { saveModel } from "../model/io.ts";
import { runKfold } from "./kfold.ts";
import { lockRun } from "./lock.ts";
import { extendStretch, startStretch } from "./stretch.ts";
import { type JobTag, machineInfo, readMetricsCsv, type RunExperiment, type RunRecord } from "./record.ts";
import { type DatasetSpec, type ParsedSpec, resolveModel } from "./spec.ts";
import type { RunStore } from "./store.ts";

/** Options of {@link runExperiment}: a parsed spec (its model, training and protocol), an opened dataset, and how
 * to run. */
export interface ExperimentOptions extends ParsedSpec {
  dataset: Dataset;
  /** The options the dataset was loaded with, recorded so that `--resume` reloads the same data (the spec's own
   * dataset part is not read: the dataset comes opened). */
  datasetSpec?: DatasetSpec;
  backend: string;
  experiment?: RunExperiment;
  /** The grid job this run is; its folder is then `<runsDir>/<id>`. */
  job?: JobTag;
  /** Parent of run folders (default outputs/runs). */
  runsDir?: string;
  /** The run folder's name (default: a new run id). */
  id?: string;
  /** Continue the run in this folder (its run.json and checkpoints). */
  resumeDir?: string;
  signal?: AbortSignal;
  /** Split protocol: a wall-clock budget for training in seconds (see the engine's time-budget policy). */
  timeBudgetSeconds?: number;
  /** Called after every epoch (split protocol) with the history so far and the model being trained: live
   * curves, per-epoch probes such as the demo's attention score. */
  onEpoch?: (history: EpochMetrics[], model: FerModel) => void | Promise<void>;
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

/**
 * Runs and records one experiment; see the module doc. Everything the data can refuse (an empty or
 * missing split, more folds than subjects) is checked before the run folder is made; the folder is
 * locked while the run trains (lock.ts).
 */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentResult> {
  const ds = opts.dataset, store = opts.store ?? await parquetStore();
  const model = resolveModel(opts.spec.model, ds.classes.length), trainCfg = opts.train;
  const config = { model, train: trainCfg };
  const p = opts.spec.protocol;
  const parts = p.kind === "split" ? splitProtocolIndices(ds, p, trainCfg.seed) : null;
  const folds = p.kind === "kfold" ? kFold(ds.samples, { k: p.k, seed: p.seed, by: p.by }) : null;
  const was = opts.resumeDir ? await store.read(opts.resumeDir) : null;
  if (was && JSON.stringify(was.config.model) !== JSON.stringify(model)) {
    throw new Error(`${opts.resumeDir}/run.json: saved with another model config; resume with the same one`);
  }
  const runtime = activeRuntime();
  const { dir } = opts.resumeDir ? { dir: opts.resumeDir } : await store.start({
    runsDir: opts.runsDir,
    id: opts.id,
    experiment: opts.experiment,
    job: opts.job,
    config,
    spec: {
      dataset: opts.datasetSpec ?? { dataset: ds.name as DatasetKind, root: ds.root },
      model: opts.spec.model,
      train: opts.spec.train,
      protocol: p,
    },
    dataset: { name: ds.name, root: ds.root, summary: summarize(ds), contentHash: await contentHash(ds) },
    protocol: p,
    backend: opts.backend,
    runtime,
    machine: machineInfo({ threads: runtime.threads }),
  });
  const lock = await lockRun(dir);
  const lbp = lbpFor(model);
  const augment = trainAugment(trainCfg), tta = trainCfg.tta;
  const t0 = performance.now();
  const seconds = () => (was?.seconds ?? 0) + (performance.now() - t0) / 1000;
  let stretches = startStretch(was?.stretches ?? [], runtime, was?.epochs ?? 0);
  /** The stretches brought up to `epochs` epochs done, for the next record update. */
  const stretched = (epochs: number) => ({
    stretches: stretches = extendStretch(stretches, epochs, (performance.now() - t0) / 60_000),
  });
  try {
    await store.update(dir, was ? { status: "running", config, stretches } : { stretches });
    if (p.kind === "split") {
      const { train: tr, val, test } = parts!;
      await store.update(dir, { sizes: { train: tr.length, val: val.length, test: test.length } });
      const fm = buildModel(model);
      const cache = new ImageCache(ds, model.inputSize);
      const r = await train({
        model: fm,
        dataset: ds,
        trainIndices: tr,
        valIndices: val,
        config: trainCfg,
        lbp,
        augment,
        runDir: dir,
        resume: true,
        cache,
        signal: opts.signal,
        timeBudgetSeconds: opts.timeBudgetSeconds,
        onEpoch: async (_m, { history, memory }) => {
          await store.writeMetrics(dir, history);
          await store.update(dir, { epochs: history.length, memory, seconds: seconds(), ...stretched(history.length) });
          await opts.onEpoch?.(history, fm);
        },
      });
      // A kill after the last checkpoint left the metrics short: they are rebuilt from the checkpoint's history.
      await store.writeMetrics(dir, r.history);
      if (r.stopReason === "aborted") {
        const record = await store.update(dir, {
          status: "stopped",
          error: "aborted",
          seconds: seconds(),
          ...stretched(r.history.length),
        });
        return { dir, record, model: fm };
      }
      await saveModel({ ...fm, labels: ds.classes, tta }, `${dir}/model`);
      const result = await evaluate({ model: fm, cache, indices: test, lbp, tta, split: p.test ?? p.val });
      const plain = tta && tta !== "none"
        ? [(await evaluate({ model: fm, cache, indices: test, lbp, split: p.test ?? p.val })).accuracy]
        : null;
      const record = await store.update(dir, {
        status: "done",
        epochs: r.history.length,
        bestEpoch: r.bestEpoch,
        stopReason: r.stopReason,
        result,
        memory: r.memory,
        ...(plain ? { accuracyWithoutTta: plain } : {}),
        seconds: seconds(),
        history: r.history,
        ...stretched(r.history.length),
        ...await endMachine(store, dir),
      });
      return { dir, record, model: fm };
    }
    const plain = new Map<number, number>(); // fold number → accuracy of the same model without the TTA
    let plainCache: ImageCache | null = null;
    const r = await runKfold({
      dataset: ds,
      folds: folds!,
      by: p.by,
      build: () => buildModel(model),
      config: trainCfg,
      lbp,
      augment,
      tta,
      runDir: dir,
      store,
      only: p.only,
      onFold: async (f, _rep, fm) => {
        if (tta && tta !== "none") {
          plainCache ??= new ImageCache(ds, model.inputSize);
          const rep = await evaluate({ model: fm, cache: plainCache, indices: folds![f], lbp, split: "" });
          plain.set(f + 1, rep.accuracy);
        }
        await saveModel({ ...fm, labels: ds.classes, tta }, `${dir}/fold-${f + 1}/model`);
      },
    });
    const record = await store.update(dir, {
      status: "done",
      epochs: r.epochs,
      folds: r.folds,
      mean: r.mean,
      std: r.std,
      memory: r.memory,
      seconds: seconds(),
      ...stretched(r.epochs),
      foldHistories: await Promise.all(r.rows.map((row) => readMetricsCsv(`${dir}/fold-${row.fold}/metrics.csv`))),
      ...(plain.size ? { accuracyWithoutTta: r.rows.map((row) => plain.get(row.fold) ?? null) } : {}),
      ...await endMachine(store, dir),
    });
    return { dir, record, model: null };
  } catch (e) {
    await store.update(dir, { status: "failed", error: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    await lock.release();
  }
}

/** The run's machine with the load average at its end (a resumed older record without one stays without). */
async function endMachine(store: RunStore, dir: string): Promise<Pick<RunRecord, "machine">> {
  const m = (await store.read(dir)).machine;
  return m ? { machine: { ...m, loadEnd: Deno.loadavg()[0] } } : {};
}

/** The parquet adapter, imported on first use through a variable specifier: bundles that pass their own
 * store (the offline GPU check) never load nodejs-polars. */
async function parquetStore(): Promise<RunStore> {
  const adapter = "./parquet_store.ts";
  return ((await import(adapter)) as typeof import("./parquet_store.ts")).parquetStore;
}
