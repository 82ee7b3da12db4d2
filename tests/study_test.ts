import assert from "node:assert/strict";
import { join } from "node:path";
import { attentionMarkdown, readCell, studyMarkdown, studyRows } from "../lib/report/mod.ts";

const STUDY = new URL("../results/study/", import.meta.url).pathname;

Deno.test("every study record has its cell, and the tables are built from the records alone", async () => {
  const records: string[] = [];
  for await (const e of Deno.readDir(join(STUDY, "runs"))) if (e.name.endsWith(".json")) records.push(e.name);
  assert.ok(records.length > 0);
  for (const r of records) {
    const cell = await readCell(r.replace(/@\d+\.json$/, ""));
    assert.ok(cell.seeds.includes(Number(r.match(/@(\d+)\.json$/)![1])), `${r}: a seed of its cell`);
  }
  const rows = await studyRows(STUDY);
  assert.equal(rows.reduce((n, row) => n + row.seeds.length, 0), records.length);
  for (const row of rows) assert.ok(row.mean > 0 && row.mean <= 1, `${row.cell}: ${row.mean}`);
  assert.match(studyMarkdown(rows), /\| ck2-base \|.*\*\*69\.\d\d ± /);
  const att = await attentionMarkdown(STUDY);
  assert.match(att, /\| demo-base@1 \| 48 px, ×0\.125, flatten \| 2100 \(60\), 0 \| 16 \| 70\.7% \(\?, best\) \|/);
  assert.match(
    att,
    /\| demo-gated-e30-last@1 \| 48 px, ×0\.125, gap, no reconstruction, gated \(bias -2\) \| .* \| 89\.0% \(30, last\) \|/,
  );
  assert.match(att, /\| demo-tta-e20@1 \| .* \| 96\.0% \(20, last; tencrop TTA, one view 89\.8%\) \|/);
});
