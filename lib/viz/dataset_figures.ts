/**
 * Dataset figures and tables for chapter 01 and the CLI: class distribution, a sample grid per class
 * (with the synthetic masks as overlay), and the structure of k folds.
 *
 * @example
 * ```ts
 * show(classDistributionFigure(summarize(ds)));
 * show(await classGridFigure(ds, { perClass: 6, seed: 0 }));
 * const folds = kFold(ds.samples, { k: 5, seed: 0, by: "subject" });
 * showTable(foldTable(ds, folds)); show(foldFigure(ds, folds));
 * ```
 * @module
 */
import { barChart } from "./bar_chart.ts";
import type { Figure } from "./figure.ts";
import { imageGrid } from "./image_grid.ts";
import type { Dataset } from "../data/dataset.ts";
import type { DatasetSummary } from "../data/summary.ts";
import { Rng } from "../util/rng.ts";

/** Bars of images per class, side by side per split when the dataset has several. */
export function classDistributionFigure(s: DatasetSummary, opts: { title?: string } = {}): Figure {
  const multi = s.splits.length > 1;
  return barChart({
    labels: s.classes.flatMap((c) => s.splits.map(() => c)),
    values: s.classes.flatMap((c) => s.splits.map((r) => r.counts[c])),
    groups: multi ? s.classes.flatMap(() => s.splits.map((r) => r.split)) : undefined,
    title: opts.title ?? `${s.name}: images per class (${s.total} total)`,
  });
}

/** Options of {@link classGridFigure}. */
export interface ClassGridOptions {
  /** Images per class row. */
  perClass: number;
  /** Which samples are drawn (seeded shuffle within each class). */
  seed?: number;
  /** Decode size (default: native). */
  size?: number;
  /** Overlay the dataset's masks (synthetic only). */
  masks?: boolean;
  title?: string;
}

/** One row per class of randomly chosen samples, labelled with class and subject. */
export async function classGridFigure(ds: Dataset, opts: ClassGridOptions): Promise<Figure> {
  if (opts.masks && !ds.loadMask) throw new Error(`classGridFigure: dataset ${ds.name} has no masks`);
  const rng = new Rng(`grid:${opts.seed ?? 0}`);
  const picks = ds.classes.flatMap((_, c) => {
    const idx = ds.samples.flatMap((s, i) => (s.label === c ? [i] : []));
    return rng.shuffle(idx).slice(0, opts.perClass);
  });
  const images = await Promise.all(picks.map((i) => ds.load(ds.samples[i], { size: opts.size ?? 48 })));
  const labels = picks.map((i) => {
    const s = ds.samples[i];
    return s.subject ? `${ds.classes[s.label]} ${s.subject}` : ds.classes[s.label];
  });
  const maps = opts.masks
    ? await Promise.all(picks.map((i) => ds.loadMask!(ds.samples[i], { size: opts.size ?? 48 })))
    : undefined;
  return imageGrid({
    images,
    labels,
    columns: opts.perClass,
    scale: 2,
    overlay: maps ? { maps, alpha: 0.35 } : undefined,
    title: opts.title ?? `${ds.name}: samples per class`,
  });
}

/** One row per fold: images, subjects and images per class. */
export function foldTable(ds: Dataset, folds: number[][]): Record<string, string | number>[] {
  return folds.map((f, k) => {
    const row: Record<string, string | number> = {
      fold: k,
      images: f.length,
      subjects: new Set(f.map((i) => ds.samples[i].subject).filter((s) => s !== undefined)).size,
    };
    for (const c of ds.classes) row[c] = 0;
    for (const i of f) (row[ds.classes[ds.samples[i].label]] as number)++;
    return row;
  });
}

/** Images per class in each fold, as grouped bars (one colour per fold). */
export function foldFigure(ds: Dataset, folds: number[][], opts: { title?: string } = {}): Figure {
  const rows = foldTable(ds, folds);
  return barChart({
    labels: ds.classes.flatMap((c) => rows.map(() => c)),
    values: ds.classes.flatMap((c) => rows.map((r) => r[c] as number)),
    groups: ds.classes.flatMap(() => rows.map((r) => `fold ${r.fold}`)),
    title: opts.title ?? `${ds.name}: images per class in each of ${folds.length} folds`,
  });
}
