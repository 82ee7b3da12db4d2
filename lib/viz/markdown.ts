/**
 * Markdown as HTML for notebook outputs. An untrusted notebook (every chapter freshly cloned) does not render
 * `text/markdown` outputs in classic Jupyter Notebook, but it does show sanitised `text/html`, so every
 * Markdown display also carries this rendering. GitHub-flavoured: pipe tables become `<table>`.
 *
 * @example
 * ```ts
 * markdownHtml("| a |\n|---|\n| 1 |"); // "<table>\n<thead>…"
 * ```
 * @module
 */
import { Marked } from "marked";

const renderer = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Renders GitHub-flavoured Markdown (headings, emphasis, code, links, lists, pipe tables) to HTML.
 *
 * @example
 * ```ts
 * markdownHtml("**Table 1**"); // "<p><strong>Table 1</strong></p>\n"
 * ```
 */
export function markdownHtml(md: string): string {
  return renderer.parse(md, { async: false });
}
