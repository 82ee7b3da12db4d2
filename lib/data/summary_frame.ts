/**
 * The dataset summary as a polars DataFrame (nodejs-polars), for tables in notebooks.
 *
 * @example
 * ```ts
 * showTable(summaryFrame(ds)); // one row per split: split, one column per class, total, subjects
 * ```
 * @module
 */
import pl from "nodejs-polars";
import type { Dataset } from "./dataset.ts";
import { type DatasetSummary, summarize } from "./summary.ts";

/** The summary as a DataFrame: one row per split; columns split, one per class, total, subjects (when known). */
export function summaryFrame(ds: Dataset | DatasetSummary): pl.DataFrame {
  const s = "samples" in ds ? summarize(ds) : ds;
  const cols: Record<string, (string | number)[]> = { split: s.splits.map((r) => r.split) };
  for (const c of s.classes) cols[c] = s.splits.map((r) => r.counts[c]);
  cols.total = s.splits.map((r) => r.total);
  if (s.subjects !== null) cols.subjects = s.splits.map((r) => r.subjects);
  const counts = Object.keys(cols).filter((c) => c !== "split");
  return pl.DataFrame(cols).withColumns(...counts.map((c) => pl.col(c).cast(pl.Int64)));
}
