import assert from "node:assert/strict";
import { join } from "node:path";
import { specHash } from "../experiment/hash.ts";
import { planTable } from "../report/experiments.ts";
import { readRuns } from "../report/runs.ts";
import { writeRunOf } from "../report/testing.ts";
import { collectGrid } from "./collect.ts";
import { type GridFlags, planText, runJob } from "./jobs.ts";
import { experimentHash, foldExperiment, jobState, overrideExperiment, planGrid, sharedRunOf } from "./plan.ts";

Deno.test("a table's grid is one job per (row, fold), keyed by the hash of the job's spec", async () => {
  const jobs = await planGrid("table5", { fast: true });
  assert.equal(jobs.length, 6 * 5);
  assert.equal(new Set(jobs.map((j) => j.hash)).size, 30);
  const j = jobs.find((j) => j.experiment.config.row === "full-subject" && j.fold === 2)!;
  const [row] = await planTable("table5", { fast: true, row: "full-subject" });
  assert.deepEqual(j.experiment.spec.protocol, { kind: "kfold", k: 5, by: "subject", seed: 42, only: [2] });
  assert.equal(j.hash, specHash({ spec: j.experiment.spec, limit: { train: 160, val: 64 } }));
  assert.equal(j.id, `grid-${j.hash}`);
  assert.equal(j.whole, experimentHash(row), "the whole row's experiment: the sequential run's");
  assert.equal(j.seed, 42);
  const paper = await planGrid("table5", { fast: false, rows: ["full-subject"] });
  assert.notEqual(paper[1].hash, j.hash, "fast and paper settings are different jobs");
});

Deno.test("split rows are one job per seed; rows, folds, epochs and seeds are options of the grid", async () => {
  const t3 = await planGrid("table3", { fast: true, rows: ["A", "E"], seeds: 3 });
  assert.deepEqual(t3.map((j) => [j.experiment.config.row, j.seed, j.fold]), [
    ["A", 42, undefined],
    ["A", 43, undefined],
    ["A", 44, undefined],
    ["E", 42, undefined],
    ["E", 43, undefined],
    ["E", 44, undefined],
  ]);
  assert.ok(t3.every((j) => j.whole === j.hash));
  assert.equal(t3[1].experiment.spec.train.seed, 43);
  assert.equal(t3[0].experiment.spec.train.seed, undefined, "seed 0 is the row's own spec");
  const t5 = await planGrid("table5", {
    fast: true,
    rows: ["full-subject", "no-lbp-subject"],
    overrides: { k: 2, epochs: 3 },
  });
  assert.deepEqual(t5.map((j) => [j.experiment.config.row, j.fold]), [
    ["full-subject", 1],
    ["full-subject", 2],
    ["no-lbp-subject", 1],
    ["no-lbp-subject", 2],
  ]);
  assert.equal(t5[0].experiment.spec.train.epochs, 3);
  assert.equal(t5[0].whole, t5[1].whole);
  await assert.rejects(() => planGrid("table5", { fast: true, rows: ["nope"] }), /table5 has no row "nope" \(have /);
  await assert.rejects(() => planGrid("table5", { fast: true, seeds: 0 }), /seeds must be a positive integer, got 0/);
  await assert.rejects(
    () => planGrid("table5", { fast: true, overrides: { k: 1 } }),
    /table5\/full-random with \{"k":1\}: k-fold protocol needs k >= 2/,
  );
  const [r] = await planTable("table3", { fast: true, row: "A" });
  assert.throws(() => foldExperiment(r, 1), /table3\/A is not a k-fold row/);
  assert.deepEqual(overrideExperiment(r, { k: 3 }).spec, r.spec, "k leaves split rows alone");
});

Deno.test("the same experiment asked by two rows of a table is one job", async () => {
  const dir = await Deno.makeTempDir();
  const src = JSON.parse(await Deno.readTextFile(new URL("../../experiments/table3/A.json", import.meta.url)));
  await Deno.mkdir(join(dir, "table3"));
  await Deno.writeTextFile(join(dir, "table3", "A.json"), JSON.stringify(src));
  await Deno.writeTextFile(join(dir, "table3", "B.json"), JSON.stringify({ ...src, row: "B" }));
  const jobs = await planGrid("table3", { fast: true, dir });
  assert.deepEqual(jobs.map((j) => j.experiment.config.row), ["A"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a job is new, resumes from its folder, or is done (also when its whole row was assembled)", async () => {
  const runs = await Deno.makeTempDir();
  const [one, two] = await planGrid("table5", { fast: true, rows: ["full-subject"], overrides: { k: 2 } });
  const put = async (id: string, hash: string, status: string) => {
    await Deno.mkdir(join(runs, id), { recursive: true });
    await Deno.writeTextFile(join(runs, id, "run.json"), JSON.stringify({ id, status, job: { hash } }));
  };
  assert.equal(await jobState(runs, one), "new");
  await put(one.id, one.hash, "running");
  assert.equal(await jobState(runs, one), "resume");
  await put(one.id, one.hash, "failed");
  assert.equal(await jobState(runs, one), "resume");
  await put(one.id, one.hash, "done");
  assert.equal(await jobState(runs, one), "done");
  await put(two.id, "0123456789abcdef", "done");
  await assert.rejects(
    () => jobState(runs, two),
    new RegExp(`${two.id}/run.json: the record of job 0123456789abcdef in the folder of job ${two.hash}`),
  );
  await Deno.remove(join(runs, two.id), { recursive: true });
  assert.equal(await jobState(runs, two), "new");
  await put(`grid-${two.whole}`, two.whole, "done");
  assert.equal(await jobState(runs, two), "done", "the row's assembled record covers its folds");
  await Deno.remove(runs, { recursive: true });
});

Deno.test("a job whose experiment another row already ran is shared: --plan names that run, the job skips, collect misses nothing", async () => {
  const runs = await Deno.makeTempDir(), out = await Deno.makeTempDir();
  const [complete] = await planGrid("table2", { fast: true, rows: ["complete"] });
  const [circle] = await planGrid("table1", { fast: true, rows: ["circle-lbp"] });
  const [uniform] = await planGrid("table1", { fast: true, rows: ["uniform-lbp"] });
  assert.notEqual(circle.hash, complete.hash, "each table's job has its own folder");
  assert.equal(await jobState(runs, circle, await readRuns(runs)), "new");
  await writeRunOf(runs, complete.id, complete.experiment, { job: { hash: complete.hash } });
  const loaded = await readRuns(runs);
  assert.equal(await jobState(runs, circle, loaded), "shared", "Table 1's circle LBP is Table 2's complete network");
  assert.equal(sharedRunOf(loaded, circle)?.record.id, complete.id);
  assert.equal(await jobState(runs, uniform, loaded), "new", "another LBP is another experiment");
  assert.equal(await jobState(runs, complete, loaded), "done", "a run is not shared with its own row");
  const flags: GridFlags = {
    table: "table1",
    fast: true,
    cpu: false,
    rows: ["circle-lbp"],
    overrides: {},
    runsDir: runs,
    runtime: {},
    out,
  };
  assert.match(
    await planText(flags),
    new RegExp(`shared +${circle.id}.*\\n +run for table2/complete \\(${complete.id}\\)`),
  );
  assert.equal(await runJob(flags, undefined, circle.hash), 0, "skipped without training");
  await assert.rejects(() => Deno.stat(join(runs, circle.id)), Deno.errors.NotFound);
  assert.deepEqual((await collectGrid([circle, uniform], runs)).missing.map((j) => j.id), [uniform.id]);
  for (const d of [runs, out]) await Deno.remove(d, { recursive: true });
});
