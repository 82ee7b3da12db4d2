import assert from "node:assert/strict";
import { join } from "node:path";
import { collectGrid } from "./collect.ts";
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
