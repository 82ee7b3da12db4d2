import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { trainPreset } from "../engine/config.ts";
import { lbp3x3, patternDataset, tinyModel } from "../engine/testdata/fixtures.ts";
import { runKfold } from "./kfold.ts";

Deno.env.set("FER_PROGRESS", "silent");
await tf.setBackend("cpu");

const ds = patternDataset({ n: 90, size: 16, seed: 2 });
// Subject-independent folds: subjects S0..S5 → 3 folds of 2 subjects each.
const folds = [0, 1, 2].map((f) =>
  ds.samples.flatMap((s, i) => (["S" + 2 * f, "S" + (2 * f + 1)].includes(s.subject!) ? [i] : []))
);

Deno.test("subject-independent k-fold beats the majority class and writes the fold table", async () => {
  const runDir = await Deno.makeTempDir();
  let built = 0;
  const opts = {
    dataset: ds,
    folds,
    by: "subject" as const,
    build: () => (built++, tinyModel({ size: 16, numClasses: 3, lbp: true, seed: 5 })),
    config: trainPreset("default", { epochs: 8, batchSize: 8, lr: 0.02, augment: false }),
    lbp: lbp3x3,
    valFraction: 0.2,
    runDir,
  };
  const r = await runKfold(opts);
  assert.equal(r.folds.length, 3);
  const majority = Math.max(...[0, 1, 2].map((c) => ds.samples.filter((s) => s.label === c).length)) /
    ds.samples.length;
  assert.ok(r.mean.accuracy > majority + 0.2, `mean accuracy ${r.mean.accuracy} vs majority ${majority}`);
  const csv = (await Deno.readTextFile(`${runDir}/folds.csv`)).trim().split("\n");
  assert.equal(csv[0], "fold,n_train,n_val,n_test,best_epoch,accuracy,macro_f1,seconds");
  assert.equal(csv.length, 1 + 3 + 2);
  assert.ok(csv[4].startsWith(`mean,,,,,${r.mean.accuracy}`));
  assert.equal(built, 3, "one fresh model per fold");
  // A second call finds every fold's report and builds (so trains) nothing.
  const again = await runKfold(opts);
  assert.deepEqual(again.mean, r.mean);
  assert.deepEqual(again.rows, r.rows);
  assert.equal(built, 3, "no fold was trained again");
  // Fold 2 alone, in a folder of its own (a grid job), gives what it gave inside the whole run.
  const alone = await Deno.makeTempDir();
  const two = await runKfold({ ...opts, runDir: alone, only: [2] });
  assert.equal(built, 4);
  assert.deepEqual(two.folds, [r.folds[1]]);
  assert.deepEqual({ ...two.rows[0], seconds: 0 }, { ...r.rows[1], seconds: 0 });
  assert.deepEqual([...Deno.readDirSync(alone)].map((e) => e.name), ["fold-2"], "no fold table for one fold");
  await assert.rejects(() => runKfold({ ...opts, only: [4] }), /k-fold: fold 4 does not exist \(folds 1 to 3\)/);
  await Deno.remove(runDir, { recursive: true });
  await Deno.remove(alone, { recursive: true });
});

Deno.test("overlapping folds are rejected", async () => {
  await assert.rejects(
    () =>
      runKfold({
        dataset: ds,
        folds: [[0, 1], [1, 2]],
        by: "random",
        build: () => tinyModel({ size: 16, numClasses: 3, lbp: false, seed: 5 }),
        config: trainPreset("default", { epochs: 1 }),
      }),
    /sample 1 \(mem:\/\/1\.png\) is in two test folds/,
  );
});
