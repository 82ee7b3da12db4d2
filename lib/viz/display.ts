/**
 * Rich display of report pieces in the Deno Jupyter kernel (and plain text elsewhere): a value whose
 * `Symbol.for("Jupyter.display")` method returns a MIME bundle. The bundle carries the Markdown rendered as
 * HTML too: an untrusted notebook shows `text/html` (sanitised) but not `text/markdown`.
 *
 * @example
 * ```ts
 * showMarkdown(tableMarkdown(t)); // last expression of a notebook cell renders as Markdown
 * ```
 * @module
 */

import { markdownHtml } from "../viz/markdown.ts";

/** Something the Deno kernel renders through its display protocol. */
export interface Displayable {
  [key: symbol]: () => Record<string, string>;
}

/**
 * Wraps Markdown so a notebook cell renders it: HTML for any notebook, trusted or not, Markdown for viewers
 * that prefer it, and the source as text/plain.
 *
 * @example
 * ```ts
 * showMarkdown("| a |\n|---|\n| 1 |"); // as a cell's last expression: a rendered table
 * ```
 */
export function showMarkdown(md: string): Displayable {
  return {
    [Symbol.for("Jupyter.display")]: () => ({ "text/html": markdownHtml(md), "text/markdown": md, "text/plain": md }),
  };
}

/**
 * A confusion matrix (`m[true][pred]`) as a Markdown table with row-normalised recall on the diagonal.
 *
 * @example
 * ```ts
 * confusionMarkdown(["a", "b"], [[3, 1], [0, 4]]);
 * ```
 */
export function confusionMarkdown(labels: string[], m: number[][]): string {
  if (m.length !== labels.length || m.some((r) => r.length !== labels.length)) {
    throw new Error(`confusion matrix must be ${labels.length}×${labels.length} for labels ${labels.join(",")}`);
  }
  const head = `| true \\ predicted | ${labels.join(" | ")} | recall |`;
  const sep = `|---|${labels.map(() => "---").join("|")}|---|`;
  const rows = m.map((r, i) => {
    const n = r.reduce((a, b) => a + b, 0);
    return `| **${labels[i]}** | ${r.join(" | ")} | ${n ? ((100 * r[i]) / n).toFixed(1) + "%" : "—"} |`;
  });
  return [head, sep, ...rows].join("\n") + "\n";
}
