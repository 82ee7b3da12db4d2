/**
 * A FER2013 table's reading, computed from its rows: each measured row against the table's complete
 * network, the gap in points, how many standard errors of the difference it is (√(SE₁² + SE₂²), the
 * independent-samples approximation, conservative for two models scored on the same faces), and whether it
 * lies outside three of them or within the seed spread of the complete network. Rows trained at another
 * setting than the reference are not read as an ablation.
 *
 * @example
 * ```ts
 * const t = await buildTable("table2");
 * showMarkdown(readingMarkdown(t)); // "- without attention: −2.10 points (…), 1.8 standard errors: within the noise"
 * ```
 * @module
 */
import type { TableId } from "./paper_numbers.ts";
import type { TableResult, TableRow } from "./tables.ts";

/** The row each FER2013 table is read against: its complete network. */
export const REFERENCE_ROWS: Partial<Record<TableId, string>> = {
  table1: "circle-lbp",
  table2: "complete",
  table3: "E",
  table4: "full",
};

/** One row read against the reference row; points are percentage points. */
export interface RowReading {
  key: string;
  label: string;
  /** Row − reference, points. */
  diff: number;
  /** The standard error of the difference, points; null when a side has no standard error. */
  seDiff: number | null;
  /** |diff| ÷ seDiff. */
  errors: number | null;
  verdict: "outside 3 standard errors" | "within one seed spread" | "within 3 standard errors" | "another setting";
}

/** A table's reading; null when the table has no reference row or it was not measured. */
export interface TableReading {
  reference: TableRow;
  rows: RowReading[];
  /** Rows of ours without a record. */
  notRun: string[];
}

const setting = (r: TableRow) => `${r.model ?? "?"}, ${r.epochs ?? "?"} epochs${r.fast ? ", fast" : ""}`;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Reads every measured row of `t` against its reference row ({@link REFERENCE_ROWS}). */
export function tableReading(t: TableResult): TableReading | null {
  const ref = t.rows.find((r) => r.source === "ours" && r.key === REFERENCE_ROWS[t.id]);
  if (!ref || ref.measured === null) return null;
  const rows: RowReading[] = [];
  for (const r of t.rows) {
    if (r === ref || r.measured === null || r.source === "other-method") continue;
    const diff = round2(r.measured - ref.measured);
    const seDiff = r.se === undefined || ref.se === undefined ? null : round2(Math.hypot(r.se, ref.se));
    const errors = seDiff === null || seDiff === 0 ? null : round2(Math.abs(diff) / seDiff);
    const ablation = r.source === "ours" && !r.key.startsWith("shipped:");
    const verdict: RowReading["verdict"] = ablation && setting(r) !== setting(ref)
      ? "another setting"
      : errors !== null && errors > 3
      ? "outside 3 standard errors"
      : ref.std !== undefined && Math.abs(diff) <= ref.std
      ? "within one seed spread"
      : "within 3 standard errors";
    rows.push({ key: r.key, label: r.label, diff, seDiff, errors, verdict });
  }
  const notRun = t.rows.filter((r) => r.source === "ours" && r.measured === null).map((r) => r.label);
  return { reference: ref, rows, notRun };
}

/** The reading as a Markdown list, or a line saying why there is none. */
export function readingMarkdown(t: TableResult): string {
  const reading = tableReading(t);
  if (!reading) return `No reading: ${REFERENCE_ROWS[t.id] ?? "no reference row"} has no record.\n`;
  const { reference: ref } = reading;
  const refText = `${ref.measured!.toFixed(2)}%${ref.std === undefined ? "" : ` ± ${ref.std.toFixed(2)}`}` +
    `${ref.se === undefined ? "" : `, SE ${ref.se.toFixed(2)}`}`;
  const lines = [`Against **${ref.label}** (${refText}; ${setting(ref)}):`, ""];
  for (const r of reading.rows) {
    const sign = r.diff > 0 ? "+" : r.diff < 0 ? "−" : "±";
    const gap = `${sign}${Math.abs(r.diff).toFixed(2)} points`;
    const row = t.rows.find((x) => x.key === r.key)!;
    lines.push(
      r.verdict === "another setting"
        ? `- ${r.label}: ${gap}, not read as an ablation: trained at ${setting(row)}`
        : `- ${r.label}: ${gap}${
          r.errors === null ? "" : `, ${r.errors.toFixed(1)} standard errors of the difference`
        }: ${r.verdict === "outside 3 standard errors" ? "outside 3 standard errors" : `${r.verdict}, not told apart`}`,
    );
  }
  if (reading.notRun.length) lines.push(`- not run: ${reading.notRun.join("; ")}`);
  return lines.join("\n") + "\n";
}
