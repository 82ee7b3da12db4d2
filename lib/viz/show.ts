/**
 * Showing figures and tables in a Deno Jupyter cell. Each display carries `text/html` (an `<img>` with the
 * PNG inline, or a `<table>`) besides `image/png` / `text/markdown` / `text/plain`, so results survive
 * `jupyter nbconvert --to html` and plain-text viewers alike. Outside a notebook they print a short
 * text version instead.
 *
 * @example
 * ```ts
 * show(barChart({ labels: ["a", "b"], values: [3, 4] }));
 * showTable([{ model: "CNN", accuracy: 0.71 }, { model: "CNN+LBP", accuracy: 0.74 }], { title: "Table 3" });
 * ```
 * @module
 */
import { inJupyter } from "../util/progress.ts";
import { escapeXml, type Figure, toBase64 } from "./figure.ts";

type Bundle = Record<string, string>;

function display(bundle: Bundle, metadata: Record<string, unknown> = {}): void {
  // deno-lint-ignore no-explicit-any
  const jup = (Deno as any).jupyter;
  // Fire and forget: the kernel sends broadcasts in order, before the cell's own result.
  jup.broadcast("display_data", { data: bundle, metadata, transient: {} });
}

/**
 * Displays a figure in the current notebook cell (PNG + inline-HTML image). Outside a notebook it writes
 * one line to stderr saying what would have been shown (use {@link saveFigure} to keep it).
 *
 * @example
 * ```ts
 * show(lineChart({ series: [{ name: "loss", x: [1, 2], y: [0.9, 0.5] }] }));
 * ```
 */
export function show(fig: Figure): void {
  if (!inJupyter()) {
    console.error(`[figure ${fig.width}x${fig.height}: not in a notebook; saveFigure() writes it to outputs/]`);
    return;
  }
  const b64 = toBase64(fig.png);
  display(
    {
      "image/png": b64,
      "text/html": `<img width="${fig.width}" height="${fig.height}" src="data:image/png;base64,${b64}"/>`,
      "text/plain": `<figure ${fig.width}x${fig.height}>`,
    },
    { "image/png": { width: fig.width, height: fig.height } },
  );
}

/** A polars DataFrame, seen only through the method used here (so lib/viz does not load polars). */
export interface RecordsSource {
  toRecords(): Record<string, unknown>[];
}

/** Options of {@link showTable}. */
export interface TableOptions {
  title?: string;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
  /** Rows shown at most (default 50); the rest are counted in a note. */
  maxRows?: number;
}

function isRecordsSource(x: unknown): x is RecordsSource {
  return typeof x === "object" && x !== null && typeof (x as RecordsSource).toRecords === "function";
}

function cellText(v: unknown, digits: number): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(digits);
  if (typeof v === "bigint") return v.toString();
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** A table reduced to header + string cells. */
export interface TableText {
  columns: string[];
  rows: string[][];
  /** Rows left out because of `maxRows`. */
  omitted: number;
}

/**
 * Converts records or a DataFrame into strings (union of keys in first-seen order).
 *
 * @example
 * ```ts
 * tableText([{ a: 1, b: 0.123456 }]).rows; // [["1", "0.1235"]]
 * ```
 */
export function tableText(data: Record<string, unknown>[] | RecordsSource, opts: TableOptions = {}): TableText {
  const records = isRecordsSource(data) ? data.toRecords() : data;
  if (!Array.isArray(records)) throw new Error("showTable: expected an array of records or a polars DataFrame");
  const columns: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const max = opts.maxRows ?? 50;
  const digits = opts.digits ?? 4;
  const rows = records.slice(0, max).map((r) => columns.map((c) => cellText(r[c], digits)));
  return { columns, rows, omitted: Math.max(0, records.length - max) };
}

/**
 * Markdown (GitHub pipe table) of a table.
 *
 * @example
 * ```ts
 * tableMarkdown(tableText([{ a: 1 }])); // "| a |\n| --- |\n| 1 |"
 * ```
 */
export function tableMarkdown(t: TableText, title?: string): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    `| ${t.columns.map(esc).join(" | ")} |`,
    `| ${t.columns.map(() => "---").join(" | ")} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ];
  if (t.omitted > 0) lines.push("", `… ${t.omitted} more rows`);
  return (title ? `**${title}**\n\n` : "") + lines.join("\n");
}

/**
 * HTML `<table>` of a table.
 *
 * @example
 * ```ts
 * tableHtml(tableText([{ a: 1 }])); // "<table>…</table>"
 * ```
 */
export function tableHtml(t: TableText, title?: string): string {
  const head = t.columns.map((c) => `<th>${escapeXml(c)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeXml(v)}</td>`).join("")}</tr>`).join("");
  const caption = title ? `<caption>${escapeXml(title)}</caption>` : "";
  const more = t.omitted > 0 ? `<p>… ${t.omitted} more rows</p>` : "";
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

/**
 * Shows records (or a polars DataFrame) as a table in the notebook cell (HTML + markdown + text); outside a
 * notebook prints the markdown to stdout. Returns nothing, so the cell shows the table only once.
 *
 * @example
 * ```ts
 * showTable(df, { title: "per-class accuracy", digits: 3 });
 * ```
 */
export function showTable(data: Record<string, unknown>[] | RecordsSource, opts: TableOptions = {}): void {
  const t = tableText(data, opts);
  const md = tableMarkdown(t, opts.title);
  if (!inJupyter()) {
    console.log(md);
    return;
  }
  display({ "text/html": tableHtml(t, opts.title), "text/markdown": md, "text/plain": md });
}
