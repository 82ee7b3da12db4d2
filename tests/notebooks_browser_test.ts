/**
 * The chapters as a new user opens them: served by classic Jupyter Notebook (Debian's), each opened untrusted
 * in headless Chromium (tools/notebook_browser.ts). On the page: every table is a `<table>` and every figure
 * an `<img>`/`<svg>` with a non-zero size, as many as the saved outputs hold; no raw `|---|` text, stderr or
 * error block is visible; opening marks nothing as modified. The whole walk stays under 2 minutes.
 */
import assert from "node:assert/strict";
import { viewChapters } from "../tools/notebook_browser.ts";
import { listNotebooks } from "../tools/notebooks.ts";

const DIR = new URL("../notebooks", import.meta.url).pathname;

type Text = string | string[];
interface Output {
  output_type: string;
  data?: Record<string, Text>;
}

/** Tables and figures the saved outputs hold, whatever MIME types carry them. */
function expected(nb: { cells: { outputs?: Output[] }[] }): { tables: number; figures: number } {
  let tables = 0, figures = 0;
  for (const o of nb.cells.flatMap((c) => c.outputs ?? [])) {
    const data = o.data ?? {};
    const html = [data["text/html"] ?? ""].flat().join("");
    const markdown = [data["text/markdown"] ?? ""].flat().join("");
    const htmlTables = (html.match(/<table/g) ?? []).length;
    tables += htmlTables > 0 ? htmlTables : (markdown.match(/^\|?\s*:?-{3,}:?\s*\|/gm) ?? []).length;
    const imgs = (html.match(/<img/g) ?? []).length;
    figures += imgs > 0 ? imgs : Object.keys(data).some((m) => m.startsWith("image/")) ? 1 : 0;
  }
  return { tables, figures };
}

Deno.test("every chapter opened untrusted in classic Notebook shows its tables and figures, and no noise", async () => {
  const t0 = performance.now();
  const views = await viewChapters({ dir: DIR });
  const seconds = (performance.now() - t0) / 1000;
  const books = await listNotebooks(DIR);
  assert.equal(views.length, books.length);
  for (const view of views) {
    const nb = JSON.parse(await Deno.readTextFile(`${DIR}/${view.name}`));
    const want = expected(nb);
    const what = `${view.name} (${view.seconds.toFixed(1)}s)`;
    assert.equal(view.trusted, false, `${what}: expected to open untrusted`);
    assert.equal(view.trustLabel.trim(), "Not Trusted", what);
    assert.equal(view.dirty, false, `${what}: opening it marked it modified`);
    assert.ok(view.tables >= want.tables, `${what}: ${view.tables} <table>s on the page, ${want.tables} saved`);
    assert.ok(
      view.figures.length >= want.figures,
      `${what}: ${view.figures.length} figures shown, ${want.figures} saved`,
    );
    for (const f of view.figures) {
      assert.ok(f.width > 0 && f.height > 0 && f.loaded, `${what}: a ${f.tag} of ${f.width}×${f.height} px`);
    }
    assert.deepEqual(view.rawPipeText, [], `${what}: Markdown pipe tables shown as text`);
    assert.deepEqual(view.stderr, [], `${what}: stderr blocks`);
    assert.deepEqual(view.errors, [], `${what}: error blocks`);
    assert.deepEqual(view.pageErrors, [], `${what}: page script errors`);
  }
  const total = views.reduce((n, v) => n + v.tables + v.figures.length, 0);
  assert.ok(total > 40, `only ${total} tables and figures over all chapters`);
  assert.ok(seconds < 120, `the browser walk took ${seconds.toFixed(0)}s (limit 120s)`);
});
