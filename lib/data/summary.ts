/**
 * Dataset summary — counts per split × class and subject counts — as plain JSON and as text (the
 * polars DataFrame view is summary_frame.ts, so this module loads no native addon).
 *
 * @example
 * ```ts
 * const s = summarize(ds);          // { total: 981, subjects: 118, splits: [{ split: "all", counts: {...} }] }
 * console.log(summaryText(s));
 * ```
 * @module
 */
import type { Dataset } from "./dataset.ts";

/** One split's row of a {@link DatasetSummary}. */
export interface SplitSummary {
  /** Official split name, or "all" for samples without one. */
  split: string;
  /** Images per class name (every class listed, zeros included). */
  counts: Record<string, number>;
  total: number;
  /** Distinct subjects (0 when the dataset has no subject ids). */
  subjects: number;
}

/** JSON summary of a dataset. */
export interface DatasetSummary {
  name: string;
  root: string;
  classes: string[];
  total: number;
  /** Distinct subjects, or null when samples carry none. */
  subjects: number | null;
  /** Distinct sequences, or null when samples carry none. */
  sequences: number | null;
  splits: SplitSummary[];
}

/** Counts a dataset's samples per split and class. */
export function summarize(ds: Dataset): DatasetSummary {
  const bySplit = new Map<string, { counts: number[]; subjects: Set<string> }>();
  const subjects = new Set<string>(), sequences = new Set<string>();
  for (const s of ds.samples) {
    const key = s.split ?? "all";
    let row = bySplit.get(key);
    if (!row) bySplit.set(key, row = { counts: new Array(ds.classes.length).fill(0), subjects: new Set() });
    row.counts[s.label]++;
    if (s.subject !== undefined) {
      row.subjects.add(s.subject);
      subjects.add(s.subject);
    }
    if (s.sequence !== undefined) sequences.add(s.sequence);
  }
  const order = ["Training", "PublicTest", "PrivateTest"];
  const keys = [...bySplit.keys()].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  return {
    name: ds.name,
    root: ds.root,
    classes: ds.classes,
    total: ds.samples.length,
    subjects: subjects.size ? subjects.size : null,
    sequences: sequences.size ? sequences.size : null,
    splits: keys.map((split) => {
      const { counts, subjects } = bySplit.get(split)!;
      return {
        split,
        counts: Object.fromEntries(ds.classes.map((c, i) => [c, counts[i]])),
        total: counts.reduce((a, b) => a + b, 0),
        subjects: subjects.size,
      };
    }),
  };
}

function rank(order: string[], s: string): number {
  const i = order.indexOf(s);
  return i < 0 ? order.length : i;
}

/** The summary as an aligned plain-text table (one row per split), for terminals and logs. */
export function summaryText(s: DatasetSummary): string {
  const header = ["split", ...s.classes, "total", ...(s.subjects !== null ? ["subjects"] : [])];
  const rows = s.splits.map((r) => [
    r.split,
    ...s.classes.map((c) => String(r.counts[c])),
    String(r.total),
    ...(s.subjects !== null ? [String(r.subjects)] : []),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
