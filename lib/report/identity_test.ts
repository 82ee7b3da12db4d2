import assert from "node:assert/strict";
import { planTable } from "./experiments.ts";
import { experimentModel, sameExperimentRun } from "./identity.ts";
import { readRuns } from "./runs.ts";
import { buildTable, tableCsv, tableMarkdown } from "./tables.ts";
import { FER, writeRunOf } from "./testing.ts";

Deno.test("the paper model's run for table2/complete serves table4/full at the same profile, and only there", async () => {
  const dir = await Deno.makeTempDir();
  const [complete] = await planTable("table2", { fast: false, cpu: true, row: "complete" });
  await writeRunOf(dir, "t2", complete);
  const [full] = await planTable("table4", { fast: false, cpu: true, row: "full" });
  const [noAtt] = await planTable("table4", { fast: false, cpu: true, row: "no-attention" });
  const [fullPaper] = await planTable("table4", { fast: false, row: "full" });
  const [fullFast] = await planTable("table4", { fast: true, row: "full" });
  const runs = await readRuns(dir);
  assert.equal(sameExperimentRun(runs, full)?.record.id, "t2");
  assert.equal(sameExperimentRun(runs, noAtt), null, "another model");
  assert.equal(sameExperimentRun(runs, fullPaper), null, "another input size, width and training");
  assert.equal(sameExperimentRun(runs, fullFast), null, "a fast run is not a full one");
  const t = await buildTable("table4", { runsDir: dir });
  const row = t.rows.find((r) => r.key === "full")!;
  assert.equal(row.measured, 54.32);
  assert.equal(row.runOf, "table2/complete");
  assert.match(tableMarkdown(t, dir), /\[t2\]\(t2\/run\.json\) \(run for table2\/complete\)/);
  assert.ok(tableCsv(t).split("\n").some((l) => l.startsWith("table4,ours,full,") && l.endsWith(",table2/complete")));
  assert.equal(t.rows.find((r) => r.key === "no-attention")!.status, "not run");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a run with other training, another protocol, or not finished is not the same experiment", async () => {
  const dir = await Deno.makeTempDir();
  const [r] = await planTable("table2", { fast: false, cpu: true, row: "complete" });
  const train = { ...r.train, epochs: 14 };
  await writeRunOf(dir, "epochs", r, { config: { model: experimentModel(r, 7), train } });
  await writeRunOf(dir, "protocol", r, { protocol: { kind: "split", train: "Training", val: "Training" } });
  await writeRunOf(dir, "failed", r, { status: "failed", result: undefined });
  await writeRunOf(dir, "dataset", r, { dataset: { name: "ckplus", summary: { classes: FER } } });
  await writeRunOf(dir, "no-summary", r, { dataset: { name: "fer2013" } });
  assert.equal(sameExperimentRun(await readRuns(dir), r), null);
  await writeRunOf(dir, "same", r);
  assert.equal(sameExperimentRun(await readRuns(dir), r)?.record.id, "same");
  // Table 5 leaves contempt out: a CK+ run that kept it (7 classes) is another experiment
  const [ck] = await planTable("table5", { fast: false, cpu: true, row: "full-subject" });
  const ckRun = (id: string, classes: string[]) =>
    writeRunOf(dir, id, ck, {
      dataset: { name: "ckplus", summary: { classes } },
      result: undefined,
      mean: { accuracy: 0.7, macroF1: 0.6 },
      std: { accuracy: 0.02, macroF1: 0.02 },
      config: { model: experimentModel(ck, classes.length), train: ck.train },
    });
  await ckRun("ck7", [...FER.slice(0, 6), "contempt"]);
  assert.equal(sameExperimentRun(await readRuns(dir), ck), null);
  await ckRun("ck6", FER.slice(0, 6));
  assert.equal(sameExperimentRun(await readRuns(dir), ck)?.record.id, "ck6");
  await Deno.remove(dir, { recursive: true });
});
