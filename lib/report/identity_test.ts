import assert from "node:assert/strict";
import { join } from "node:path";
import { planTable } from "./experiments.ts";
import { experimentModel, experimentProtocol, experimentTrain, sameExperimentRun } from "./identity.ts";
import { readRuns } from "./runs.ts";
import { buildTable, tableCsv, tableMarkdown } from "./tables.ts";
import { command } from "./cli.ts";
import type { ResolvedExperiment } from "./experiments.ts";

const FER = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

/** Writes the run.json the engine would write for `r` (FER2013's 7 classes), with overrides. */
async function writeRunOf(dir: string, id: string, r: ResolvedExperiment, over: Record<string, unknown> = {}) {
  await Deno.mkdir(join(dir, id), { recursive: true });
  const rec = {
    id,
    createdAt: "2026-11-27T10:00:00Z",
    gitCommit: null,
    experiment: {
      table: r.config.table,
      row: r.config.row,
      fast: r.fast,
      ...(r.profile ? { profile: r.profile } : {}),
    },
    config: { model: experimentModel(r, 7), train: experimentTrain(r) },
    dataset: { name: r.config.dataset.name, root: "/data", summary: { classes: FER } },
    protocol: experimentProtocol(r),
    backend: "fer-native",
    status: "done",
    epochs: 15,
    result: { split: "PublicTest", accuracy: 0.5432, macroF1: 0.5 },
    ...over,
  };
  await Deno.writeTextFile(join(dir, id, "run.json"), JSON.stringify(rec));
}

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
  const train = { ...experimentTrain(r), epochs: 14 };
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
      config: { model: experimentModel(ck, classes.length), train: experimentTrain(ck) },
    });
  await ckRun("ck7", [...FER.slice(0, 6), "contempt"]);
  assert.equal(sameExperimentRun(await readRuns(dir), ck), null);
  await ckRun("ck6", FER.slice(0, 6));
  assert.equal(sameExperimentRun(await readRuns(dir), ck)?.record.id, "ck6");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("fer reproduce does not train an experiment that already has a finished run (--rerun would)", async () => {
  const dir = await Deno.makeTempDir();
  const [r] = await planTable("table5", { fast: true, row: "full-subject" });
  const classes = FER.slice(0, 6);
  await writeRunOf(dir, "done", r, {
    experiment: { table: "table5", row: "full-subject", fast: true },
    dataset: { name: "ckplus", summary: { classes } },
    config: { model: experimentModel(r, 6), train: experimentTrain(r) },
    result: undefined,
    mean: { accuracy: 0.4, macroF1: 0.3 },
    std: { accuracy: 0.05, macroF1: 0.05 },
  });
  const err: string[] = [], log = console.error, out = console.log;
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  console.log = () => {};
  try {
    const args = ["table5", "--fast", "--row", "full-subject", "--runs-dir", dir, "--out", join(dir, "tables")];
    assert.equal(await command.run(args), 0);
  } finally {
    console.error = log;
    console.log = out;
  }
  assert.ok(err.some((l) => /same experiment already run: done \(table5\/full-subject\); not training again/.test(l)));
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["done", "tables"], "no new run");
  assert.match(await Deno.readTextFile(join(dir, "tables", "table5.md")), /40\.00 ± 5\.00 \| \[done\]/);
  await Deno.remove(dir, { recursive: true });
});
