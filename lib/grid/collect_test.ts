import assert from "node:assert/strict";
import { join } from "node:path";
import { collectGrid } from "./collect.ts";
import { collect, type GridFlags } from "./jobs.ts";
import { binomialSe } from "../report/mod.ts";
import { planGrid } from "./plan.ts";
import { runAccuracy } from "../report/runs.ts";
import { writeRunOf } from "../report/testing.ts";

/** What a finished fold job leaves: its run.json (one fold, no mean) and `fold-<i>/report.json`. */
async function writeFoldJob(runs: string, job: Awaited<ReturnType<typeof planGrid>>[number], accuracy: number) {
  const p = job.experiment.spec.protocol;
  await writeRunOf(runs, job.id, job.experiment, {
    job: { hash: job.hash },
    protocol: p,
    result: undefined,
    epochs: 3,
    seconds: 10,
    folds: [{ split: `fold ${job.fold}/2`, accuracy, macroF1: accuracy / 2 }],
  });
  const report = {
    split: `fold ${job.fold}/2`,
    accuracy,
    macroF1: accuracy / 2,
    perClass: {},
    confusion: [],
    labels: [],
  };
  const row = {
    fold: job.fold,
    n_train: 9,
    n_val: 1,
    n_test: 5,
    best_epoch: 3,
    accuracy,
    macro_f1: accuracy / 2,
    seconds: 10,
  };
  await Deno.mkdir(join(runs, job.id, `fold-${job.fold}`));
  await Deno.writeTextFile(join(runs, job.id, `fold-${job.fold}`, "report.json"), JSON.stringify({ report, row }));
}

Deno.test("collect assembles a row's fold jobs into the k-fold record a sequential run writes", async () => {
  const runs = await Deno.makeTempDir();
  const jobs = await planGrid("table5", { fast: true, rows: ["full-subject"], overrides: { k: 2 } });
  await writeFoldJob(runs, jobs[0], 0.5);
  const early = await collectGrid(jobs, runs);
  assert.deepEqual(early.written, []);
  assert.deepEqual(early.missing.map((j) => j.id), [jobs[1].id], "fold 2 not run yet");
  await writeFoldJob(runs, jobs[1], 0.7);
  const { written, missing } = await collectGrid(jobs, runs);
  assert.deepEqual([written, missing], [[`grid-${jobs[0].whole}`], []]);
  const dir = join(runs, `grid-${jobs[0].whole}`);
  const rec = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
  assert.deepEqual(rec.protocol, { kind: "kfold", k: 2, by: "subject", seed: 42 }, "the whole row's protocol");
  assert.deepEqual(rec.job, { hash: jobs[0].whole, parts: jobs.map((j) => j.id) });
  assert.equal(rec.status, "done");
  assert.equal(rec.epochs, 6);
  assert.deepEqual(rec.folds.map((f: { accuracy: number }) => f.accuracy), [0.5, 0.7]);
  const acc = runAccuracy(rec)!;
  assert.ok(Math.abs(acc.accuracy - 0.6) < 1e-12 && Math.abs(acc.std! - Math.SQRT2 * 0.1) < 1e-12, "mean ± sample std");
  assert.match(await Deno.readTextFile(join(dir, "folds.csv")), /^fold,/);
  const linked = JSON.parse(await Deno.readTextFile(join(dir, "fold-2", "report.json")));
  assert.equal(linked.row.fold, 2, "fold-2 links to the fold job's folder");
  const again = await collectGrid(jobs, runs);
  assert.deepEqual([again.written, again.missing], [[], []], "collecting again changes nothing");
  await Deno.remove(runs, { recursive: true });
});

Deno.test("collect averages a split row over its seeds into one record: the table's mean ± std, the parts' standard error, and --keep copies every record", async () => {
  const runs = await Deno.makeTempDir(), out = await Deno.makeTempDir(), kept = await Deno.makeTempDir();
  const flags: GridFlags = {
    table: "table2",
    fast: true,
    cpu: false,
    rows: ["complete"],
    seeds: 3,
    overrides: {},
    runsDir: runs,
    runtime: {},
    out,
  };
  const jobs = await planGrid("table2", { fast: true, rows: ["complete"], seeds: 3 });
  assert.deepEqual(jobs.map((j) => j.seed), [42, 43, 44]);
  for (const [i, accuracy] of [0.5, 0.6, 0.7].entries()) {
    // a split job is its own record; each counted 3,589 test faces
    const result = { split: "PublicTest", accuracy, macroF1: accuracy / 2, confusion: [[3000, 89], [300, 200]] };
    await writeRunOf(runs, jobs[i].id, jobs[i].experiment, { job: { hash: jobs[i].hash }, result });
    if (i === 1) {
      const early = await collectGrid(jobs, runs);
      assert.deepEqual([early.written, early.records], [[], [jobs[0].id, jobs[1].id]], "no mean before every seed");
    }
  }
  const c = await collect(flags, kept);
  const mean = c.kept.at(-1)!;
  const rec = JSON.parse(await Deno.readTextFile(mean));
  assert.deepEqual(rec.job.seeds, [42, 43, 44]);
  assert.deepEqual(rec.job.parts, jobs.map((j) => j.id));
  assert.ok(Math.abs(rec.mean.accuracy - 0.6) < 1e-12 && Math.abs(rec.std.accuracy - 0.1) < 1e-12, "mean ± sample std");
  assert.deepEqual(
    c.kept.map((k) => k.slice(kept.length + 1)),
    [...jobs.map((j) => `${j.id}.json`), `${rec.id}.json`],
    "every seed's record and the row's mean",
  );
  const row = c.table.rows.find((r) => r.key === "complete")!;
  assert.deepEqual([row.measured, row.std, row.runId], [60, 10, rec.id]);
  assert.match(row.protocol, /; mean ± std over 3 seeds$/);
  assert.equal(
    row.se,
    Math.round(binomialSe(0.6, 3589) * 100) / 100,
    "one run's standard error, from the parts' faces",
  );
  const again = await collectGrid(jobs, runs);
  assert.deepEqual([again.written, again.records.length], [[], 4], "collecting again writes nothing");
  for (const d of [runs, out, kept]) await Deno.remove(d, { recursive: true });
});
