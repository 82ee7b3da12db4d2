import assert from "node:assert/strict";
import { readingMarkdown, tableReading } from "./reading.ts";
import type { TableResult, TableRow } from "./tables.ts";

const row = (key: string, measured: number | null, more: Partial<TableRow> = {}): TableRow => ({
  source: "ours",
  key,
  label: key,
  protocol: "train Training, report PublicTest",
  paper: null,
  measured,
  status: measured === null ? "not run" : "measured",
  model: "48px ×0.25",
  epochs: 6,
  fast: false,
  ...more,
});

const table2 = (complete: Partial<TableRow> = {}): TableResult => ({
  id: "table2",
  title: "Table 2",
  dataset: "fer2013",
  paperProtocol: "",
  rows: [
    row("complete", 59.6, { se: 0.82, ...complete }),
    row("no-feature-extraction", 52.1, { se: 0.83 }),
    row("no-attention", 58.4, { se: 0.82 }),
    row("no-reconstruction", null),
    row("other-width", 55.8, { se: 0.83, model: "48px ×0.125", epochs: 15 }),
    { ...row("human", 65.28, { se: 0.79, model: undefined, epochs: undefined }), source: "peer" },
  ],
});

Deno.test("tableReading: gaps in points, standard errors of the difference, and what lies outside three of them", () => {
  const r = tableReading(table2())!;
  assert.equal(r.reference.key, "complete");
  const by = Object.fromEntries(r.rows.map((x) => [x.key, x]));
  // −7.5 points over √(0.82² + 0.83²) = 1.17: 6.4 errors
  assert.deepEqual(by["no-feature-extraction"], {
    key: "no-feature-extraction",
    label: "no-feature-extraction",
    diff: -7.5,
    seDiff: 1.17,
    errors: 6.41,
    verdict: "outside 3 standard errors",
  });
  assert.equal(by["no-attention"].verdict, "within 3 standard errors"); // −1.2 over 1.16: 1.03
  assert.equal(by["other-width"].verdict, "another setting", "a row at another width and length is no ablation");
  assert.equal(by["human"].verdict, "outside 3 standard errors", "a peer on the same faces is compared at any setting");
  assert.deepEqual(r.notRun, ["no-reconstruction"]);
});

Deno.test("tableReading: a gap inside the complete network's seed spread says so; no reference record, no reading", () => {
  const r = tableReading(table2({ std: 1.5 }))!;
  assert.equal(r.rows.find((x) => x.key === "no-attention")!.verdict, "within one seed spread");
  assert.equal(r.rows.find((x) => x.key === "no-feature-extraction")!.verdict, "outside 3 standard errors");
  const none = table2({ measured: null, status: "not run" });
  assert.equal(tableReading(none), null);
  assert.equal(readingMarkdown(none), "No reading: complete has no record.\n");
  assert.equal(tableReading({ ...table2(), id: "table5" }), null, "Tables 5–8 have folds, not a reference row");
});

Deno.test("readingMarkdown writes one line per measured row, signed gaps and the rows not run", () => {
  const md = readingMarkdown(table2({ std: 0.4 }));
  assert.match(md, /^Against \*\*complete\*\* \(59\.60% ± 0\.40, SE 0\.82; 48px ×0\.25, 6 epochs\):/);
  assert.match(
    md,
    /- no-feature-extraction: −7\.50 points, 6\.4 standard errors of the difference: outside 3 standard errors/,
  );
  assert.match(
    md,
    /- no-attention: −1\.20 points, 1\.0 standard errors of the difference: within 3 standard errors, not told apart/,
  );
  assert.match(md, /- other-width: −3\.80 points, not read as an ablation: trained at 48px ×0\.125, 15 epochs/);
  assert.match(md, /- human: \+5\.68 points, 5\.0 standard errors/);
  assert.match(md, /- not run: no-reconstruction\n$/);
});
