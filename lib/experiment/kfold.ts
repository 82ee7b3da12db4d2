/**
 * The k-fold runner: trains one fresh model per fold, evaluates it on the held-out fold and reports
 * mean ± sample std of accuracy and macro-F1, writing a fold table (`folds.csv`) to the run folder.
 *
 * Fold assignment comes from the caller (lib/data's `kFold`, random or subject-independent). Model
 * selection never looks at the test fold: a validation part is split off the training folds
 * (`valFraction`, grouped by subject when the folds are subject-independent). A fold whose
 * `report.json` exists is skipped (its epochs and memory samples are read back from it), and an
 * unfinished fold resumes from its checkpoint, so a killed k-fold run continues where it stopped.
 *
 * @example
 * ```ts
 * const folds = kFold(ds.samples, { k: 5, seed: 1, by: "subject" });
 * const r = await runKfold({ dataset: ds, folds, by: "subject", build: () => buildModel(cfg), config, lbp, runDir });
 * console.log(r.mean.accuracy, r.std.accuracy);
 * ```
 * @module
 */
import { type EvalReport, meanStd } from "../eval/metrics.ts";
import { evaluate } from "../engine/predict.ts";
import type { TrainConfig, Tta } from "../engine/config.ts";
import type { EpochMetrics, MemorySample } from "../engine/epoch.ts";
import { train } from "../engine/loop.ts";
import type { AugmentFn, LbpFn } from "../engine/inputs.ts";
import { ImageCache } from "../engine/pipeline.ts";
import { writeJsonAtomic } from "./record.ts";
import { fileStore, type RunStore } from "./store.ts";
import type { Dataset } from "../data/dataset.ts";
import type { FerModel } from "../model/build.ts";
import { splitValidation } from "../data/routing.ts";

/** Options of {@link runKfold}. */
export interface KfoldOptions {
  dataset: Dataset;
  /** Test-fold sample indices, one array per fold. */
  folds: number[][];
  by: "random" | "subject";
  /** Builds a fresh model for a fold (same seed for every fold is fine). */
  build: (fold: number) => FerModel;
  config: TrainConfig;
  lbp?: LbpFn | null;
  augment?: AugmentFn | null;
  /** Share of the training folds held out for model selection (default 0.1; 0 = last epoch). */
  valFraction?: number;
  tta?: Tta;
  /** Fold folders `fold-<i>/` and `folds.csv` go here; nothing is written without it. */
  runDir?: string;
  /** 1-based numbers of the folds to train and test (default all): one fold is a job of a grid, a few a
   * cheaper screening proxy. The result holds those folds' reports; the fold table is written for all k only. */
  only?: number[];
  /** Where each fold's per-epoch metrics go (default: the plain file store). */
  store?: RunStore;
  /** Called after each fold with its model (save it, plot it) before the model is disposed. */
  onFold?: (fold: number, report: EvalReport, model: FerModel, history: EpochMetrics[]) => void | Promise<void>;
}

/** One row of the fold table. */
export interface FoldRow {
  fold: number;
  n_train: number;
  n_val: number;
  n_test: number;
  best_epoch: number;
  accuracy: number;
  macro_f1: number;
  seconds: number;
}

/** A memory sample of one fold's epoch. */
export type FoldMemorySample = MemorySample & { fold: number };

/** What {@link runKfold} returns. */
export interface KfoldResult {
  folds: EvalReport[];
  rows: FoldRow[];
  /** Epochs trained, all folds together. */
  epochs: number;
  /** Memory after every epoch of every fold. */
  memory: FoldMemorySample[];
  mean: { accuracy: number; macroF1: number };
  std: { accuracy: number; macroF1: number };
}

/** Runs k-fold cross-validation; see the module doc. */
export async function runKfold(opts: KfoldOptions): Promise<KfoldResult> {
  const k = opts.folds.length;
  if (k < 2) throw new Error(`k-fold needs at least 2 folds, got ${k}`);
  const seen = new Set<number>();
  for (const f of opts.folds) {
    for (const i of f) {
      if (seen.has(i)) throw new Error(`sample ${i} (${opts.dataset.samples[i]?.path}) is in two test folds`);
      seen.add(i);
    }
  }
  const bad = opts.only?.find((f) => !(Number.isInteger(f) && f >= 1 && f <= k));
  if (bad !== undefined) throw new Error(`k-fold: fold ${bad} does not exist (folds 1 to ${k})`);
  let cache: ImageCache | null = null;
  const reports: EvalReport[] = [], rows: FoldRow[] = [], memory: FoldMemorySample[] = [];
  let epochs = 0;
  const store = opts.store ?? fileStore;
  for (let f = 0; f < k; f++) {
    if (opts.only && !opts.only.includes(f + 1)) continue;
    const dir = opts.runDir ? `${opts.runDir}/fold-${f + 1}` : undefined;
    const done = dir ? await readJson<FoldReport>(`${dir}/report.json`) : null;
    if (done) {
      reports.push(done.report);
      rows.push(done.row);
      epochs += done.epochs;
      memory.push(...done.memory);
      continue;
    }
    const rest = opts.folds.flatMap((fold, j) => (j === f ? [] : fold));
    const { train: tr, val } = splitValidation(opts.dataset, rest, {
      fraction: opts.valFraction ?? 0.1,
      by: opts.by,
      seed: opts.config.seed + f,
    });
    const fm = opts.build(f);
    cache ??= new ImageCache(opts.dataset, fm.config.inputSize);
    try {
      const r = await train({
        model: fm,
        dataset: opts.dataset,
        trainIndices: tr,
        valIndices: val,
        config: opts.config,
        lbp: opts.lbp,
        augment: opts.augment,
        runDir: dir,
        resume: true,
        cache,
        label: `fold ${f + 1}/${k}`,
        onEpoch: dir ? (_m, { history }) => store.writeMetrics(dir, history) : undefined,
      });
      // A kill after the fold's last checkpoint left its metrics short: they are rebuilt from the history.
      if (dir) await store.writeMetrics(dir, r.history);
      const report = await evaluate({
        model: fm,
        cache,
        indices: opts.folds[f],
        lbp: fm.config.lbp !== "none" ? opts.lbp : null,
        tta: opts.tta,
        split: `fold ${f + 1}/${k}`,
      });
      const row: FoldRow = {
        fold: f + 1,
        n_train: tr.length,
        n_val: val.length,
        n_test: opts.folds[f].length,
        best_epoch: r.bestEpoch,
        accuracy: report.accuracy,
        macro_f1: report.macroF1,
        seconds: r.seconds,
      };
      console.error(
        `fold ${f + 1}/${k}: accuracy ${(report.accuracy * 100).toFixed(2)}%, macro-F1 ${report.macroF1.toFixed(3)}`,
      );
      await opts.onFold?.(f, report, fm, r.history);
      const foldMemory = r.memory.map((m) => ({ fold: f + 1, ...m }));
      if (dir) {
        await writeJsonAtomic(
          `${dir}/report.json`,
          {
            report,
            row,
            epochs: r.history.length,
            memory: foldMemory,
          } satisfies FoldReport,
        );
      }
      reports.push(report);
      rows.push(row);
      epochs += r.history.length;
      memory.push(...foldMemory);
    } finally {
      fm.model.dispose();
    }
  }
  const acc = meanStd(reports.map((r) => r.accuracy)), f1 = meanStd(reports.map((r) => r.macroF1));
  const result: KfoldResult = {
    folds: reports,
    rows,
    epochs,
    memory,
    mean: { accuracy: acc.mean, macroF1: f1.mean },
    std: { accuracy: acc.std, macroF1: f1.std },
  };
  if (opts.runDir && opts.only === undefined) {
    await Deno.writeTextFile(`${opts.runDir}/folds.csv`, foldTableCsv(result));
  }
  return result;
}

/** A finished fold's `report.json`. */
interface FoldReport {
  report: EvalReport;
  row: FoldRow;
  epochs: number;
  memory: FoldMemorySample[];
}

/** The fold table as CSV, with `mean` and `std` rows. */
export function foldTableCsv(r: Pick<KfoldResult, "rows" | "mean" | "std">): string {
  const cols = ["fold", "n_train", "n_val", "n_test", "best_epoch", "accuracy", "macro_f1", "seconds"] as const;
  const lines = [cols.join(",")];
  for (const row of r.rows) lines.push(cols.map((c) => String(row[c])).join(","));
  lines.push(`mean,,,,,${r.mean.accuracy},${r.mean.macroF1},`);
  lines.push(`std,,,,,${r.std.accuracy},${r.std.macroF1},`);
  return lines.join("\n") + "\n";
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new Error(`${path}: ${e instanceof Error ? e.message : e}`);
  }
}
