/**
 * `fer reproduce --check RECORD`: trains one fold of a committed run record again — the record's own model
 * and training config, protocol and seed, on the same data — and compares the accuracy it gets with the one
 * the record holds. Before any training the data are compared with the record's: its content hash
 * (data/content_hash.ts) when the record has one, else its per-class counts; other data are an error.
 *
 * Two runs of the same config agree only up to the kernels' arithmetic (another backend, thread count or
 * precision gives other rounding, and training amplifies it), so "agrees" means within a tolerance: by default
 * twice the binomial standard error of the recorded fold's accuracy, sqrt(p(1-p)/n), in points.
 *
 * @example
 * ```ts
 * const c = await checkRecord("results/runs/20261129-212626-ckplus-table5-full-subject-1f2e.json", { fold: 1 });
 * console.log(checkText(c)); // recorded 91.40%, measured 90.32%: -1.08 points, within ±4.1
 * ```
 * @module
 */
import { contentHash } from "../data/content_hash.ts";
import { summarize } from "../data/summary.ts";
import { loadDataset } from "../data/load.ts";
import type { Dataset } from "../data/dataset.ts";
import type { EvalReport } from "../eval/metrics.ts";
import type { RunRecord } from "../experiment/record.ts";
import { recordedDataset } from "../experiment/resume.ts";
import { datasetHere, type DatasetSpec, parseSpec } from "../experiment/spec.ts";
import { recordedRuntime, runtimeOf, type RuntimeRequest } from "../backend/runtime.ts";
import { TRAINER, type Trainer } from "./execute.ts";
import { planTable } from "../report/experiments.ts";
import { TABLE_IDS, type TableId } from "../report/paper_numbers.ts";
import { readRecord } from "../report/runs.ts";

/** Options of {@link checkRecord}. */
export interface CheckOptions {
  /** The fold to train again (1-based; default: the record's first). Split records have one "fold". */
  fold?: number;
  /** Accepted difference in points (default: twice the recorded fold's binomial standard error). */
  tolerance?: number;
  /** The dataset folder (default: the row's folder under FER_DATA / ../shared/datasets, else the record's). */
  root?: string;
  /** Where the check's run goes (default outputs/runs). */
  runsDir?: string;
  /** Where it runs, as the flags gave it (default: auto, with the precision the record ran at). */
  runtime?: RuntimeRequest;
}

/** What a check found. */
export interface CheckResult {
  record: string;
  fold: number;
  /** Accuracies in [0, 1]. */
  recorded: number;
  measured: number;
  /** measured − recorded, in points. */
  difference: number;
  /** In points. */
  tolerance: number;
  ok: boolean;
  /** How the data were matched: "content hash <h>" or "class counts (the record has no content hash)". */
  data: string;
  backend: { recorded: string; now: string };
  /** The check's own run folder. */
  runDir: string;
}

/** Re-trains one fold of the record in `file` and compares (see the module doc). */
export async function checkRecord(
  file: string,
  opts: CheckOptions = {},
  trainer: Trainer = TRAINER,
): Promise<CheckResult> {
  const rec = await readRecord(file).catch((e) => {
    throw e instanceof Deno.errors.NotFound
      ? new Error(`${file}: no such record (expected a run.json or results/runs/<id>.json)`)
      : e;
  }) as RunRecord;
  if (rec.status !== "done") throw new Error(`${file}: the run is ${rec.status}; only a finished run can be checked`);
  if (!rec.config?.model || !rec.config?.train) throw new Error(`${file}: no "config" {model, train} to train again`);
  const p = rec.protocol;
  const recorded = recordedFolds(file, rec);
  const fold = opts.fold ?? recorded[0].fold;
  const target = recorded.find((f) => f.fold === fold);
  if (!target) {
    throw new Error(`${file}: the record has no fold ${fold} (it has ${recorded.map((f) => f.fold).join(", ")})`);
  }
  const dataset = await checkDataset(file, rec, opts.root);
  // the record's model and training, checked by the one spec parser before the data are read
  const spec = parseSpec({
    dataset,
    model: rec.config.model,
    train: rec.config.train,
    protocol: p.kind === "kfold" ? { ...p, only: [fold] } : p,
  }, file);
  const ds = await loadDataset(dataset);
  const data = await sameData(file, rec, ds);
  const precision = recordedRuntime(rec).precision ?? undefined;
  const chosen = await trainer.selectRuntime(runtimeOf(opts.runtime ?? {}, { precision }));
  const tag = rec.experiment ? `${rec.experiment.table}/${rec.experiment.row}` : rec.id;
  const { dir, record } = await trainer.runExperiment({
    ...spec,
    dataset: ds,
    backend: chosen.label ?? chosen.backend,
    // not a row of any table: a one-fold check must never stand for the record's mean
    experiment: { table: "check", row: tag },
    runsDir: opts.runsDir,
  });
  const measured = (p.kind === "kfold" ? record.folds?.[0] : record.result)?.accuracy;
  if (measured === undefined) throw new Error(`${dir}/run.json: the check's run has no accuracy (${record.status})`);
  const n = target.report.confusion.flat().reduce((a, b) => a + b, 0);
  const se = Math.sqrt(target.report.accuracy * (1 - target.report.accuracy) / n);
  const tolerance = opts.tolerance ?? Math.round(2 * se * 1000) / 10;
  const difference = 100 * (measured - target.report.accuracy);
  return {
    record: file,
    fold,
    recorded: target.report.accuracy,
    measured,
    difference,
    tolerance,
    ok: Math.abs(difference) <= tolerance,
    data,
    backend: { recorded: rec.backend, now: chosen.label ?? chosen.backend },
    runDir: dir,
  };
}

/** The check as a few lines of text. */
export function checkText(c: CheckResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  return [
    `${c.record}, fold ${c.fold}: recorded ${pct(c.recorded)}, measured ${pct(c.measured)}: ` +
    `${c.difference >= 0 ? "+" : ""}${c.difference.toFixed(2)} points, ` +
    `${c.ok ? "within" : "OUTSIDE"} ±${c.tolerance.toFixed(1)}`,
    `  data: ${c.data}`,
    `  backend: ${c.backend.recorded} in the record, ${c.backend.now} now`,
    `  run: ${c.runDir}`,
  ].join("\n");
}

/** The record's evaluated folds, numbered as in the protocol (a split record is fold 1). */
function recordedFolds(file: string, rec: RunRecord): { fold: number; report: EvalReport }[] {
  const p = rec.protocol;
  if (p.kind === "split") {
    if (!rec.result) throw new Error(`${file}: no "result" to compare with`);
    return [{ fold: 1, report: rec.result }];
  }
  const numbers = p.only ?? Array.from({ length: p.k }, (_, i) => i + 1);
  if (!rec.folds || rec.folds.length !== numbers.length) {
    throw new Error(`${file}: expected ${numbers.length} fold reports in "folds", got ${rec.folds?.length ?? 0}`);
  }
  return numbers.map((fold, i) => ({ fold, report: rec.folds![i] }));
}

/** Where the data are: --root, else the table row's folder here, else the folder the record names. */
async function checkDataset(file: string, rec: RunRecord, root?: string): Promise<DatasetSpec> {
  const recorded = recordedDataset(rec);
  if (root !== undefined) return { ...recorded, root };
  const e = rec.experiment;
  if (e && (TABLE_IDS as readonly string[]).includes(e.table)) {
    const [row] = await planTable(e.table as TableId, { fast: false, row: e.row });
    const here = datasetHere(row.spec.dataset);
    if (here) return here;
  }
  if (recorded.root === undefined || recorded.dataset === "synthetic") return recorded;
  try {
    await Deno.stat(recorded.root);
  } catch {
    throw new Error(`${file}: its data folder ${recorded.root} is not here; pass --root with your copy`);
  }
  return recorded;
}

/** Compares the data with the record's: content hash, or class counts for a record without one. */
async function sameData(file: string, rec: RunRecord, ds: Dataset): Promise<string> {
  const now = await contentHash(ds);
  const then = rec.dataset.contentHash;
  if (then !== undefined) {
    if (then !== now) {
      throw new Error(
        `${file}: the data differ from the record's (content hash ${then} there, ${now} here: ${ds.root})`,
      );
    }
    return `content hash ${now}`;
  }
  const counts = (s: unknown) => JSON.stringify((s as { splits?: unknown })?.splits);
  if (counts(rec.dataset.summary) !== counts(summarize(ds))) {
    throw new Error(
      `${file}: the data differ from the record's: class counts ${counts(rec.dataset.summary)} there, ` +
        `${counts(summarize(ds))} here (${ds.root})`,
    );
  }
  return `class counts (the record has no content hash; hash here ${now})`;
}
