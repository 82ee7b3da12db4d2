import assert from "node:assert/strict";
import { syntheticDataset } from "../data/synthetic.ts";
import { writeImage } from "../data/image.ts";
import { splitProtocolIndices } from "../data/routing.ts";
import { selectBackend } from "../backend/select.ts";
import { lbpFor } from "../engine/inputs.ts";
import { ImageCache } from "../engine/pipeline.ts";
import { evaluate } from "../engine/predict.ts";
import { loadModel } from "../model/io.ts";
import { ferProcess } from "./testing.ts";

const fer = (...args: string[]) => ferProcess(args);

Deno.test("train → evaluate --json → predict --json on the saved model, with a complete run record", async () => {
  const runs = await Deno.makeTempDir();
  const common = ["--dataset", "synthetic", "--n", "70", "--backend", "cpu"];
  const t = await fer(
    "train",
    "--preset",
    "cpu-tiny",
    "--size",
    "16",
    "--epochs",
    "2",
    "--batch",
    "16",
    ...common,
    "--runs",
    runs,
    "--json",
  );
  assert.equal(t.code, 0, t.err);
  assert.doesNotMatch(t.err + t.out, /looks like you are running TensorFlow\.js in Node\.js/, "no tfjs banner");
  assert.match(t.err, /^backend: cpu \(/m, "our own messages still show");
  const summary = JSON.parse(t.out.trim().split("\n").at(-1)!);
  assert.equal(summary.status, "done");
  assert.equal(summary.epochs, 2);
  const run = JSON.parse(await Deno.readTextFile(`${summary.run}/run.json`));
  assert.deepEqual(run.protocol, { kind: "split", train: "all", val: "holdout:0.2" });
  assert.equal(run.config.model.inputSize, 16);
  assert.equal(run.backend, "cpu");
  assert.equal(run.result.labels.length, 7);
  assert.deepEqual(run.history.map((h: { epoch: number }) => h.epoch), [1, 2], "per-epoch metrics in run.json");
  assert.equal(run.machine.cores, navigator.hardwareConcurrency);
  assert.ok(run.machine.loadStart >= 0 && run.machine.loadEnd >= 0);
  assert.equal(run.machine.threads, null, "threads are the torch backend's; the cpu backend has none");
  const csv = (await Deno.readTextFile(`${summary.run}/metrics.csv`)).trim().split("\n");
  assert.equal(csv.length, 3);
  await Deno.stat(`${summary.run}/metrics.parquet`);
  await Deno.stat(`${summary.run}/checkpoint/ckpt.bin`);

  const e = await fer("evaluate", "--model", `${summary.run}/model`, ...common, "--split", "all", "--json");
  assert.equal(e.code, 0, e.err);
  const rep = JSON.parse(e.out.trim().split("\n").at(-1)!);
  assert.equal(rep.confusion.length, 7);
  assert.equal(rep.confusion.flat().reduce((a: number, b: number) => a + b, 0), 70);
  assert.deepEqual(Object.keys(rep.per_class), run.result.labels);
  // The saved model is the recorded one: evaluated here, on the run's own hold-out split and on all 70
  // faces, it gives exactly the run record's result and the evaluate command's.
  await selectBackend("cpu", { quiet: true });
  const fm = await loadModel(`${summary.run}/model`);
  const ds = syntheticDataset({ n: 70 });
  const cache = new ImageCache(ds, 16), lbp = lbpFor(fm.config);
  const { val } = splitProtocolIndices(ds, run.protocol, run.config.train.seed);
  const again = await evaluate({ model: fm, cache, indices: val, lbp, split: run.protocol.val });
  assert.deepEqual(again, run.result);
  const all = await evaluate({ model: fm, cache, indices: ds.samples.map((_, i) => i), lbp, split: "all" });
  assert.deepEqual([rep.accuracy, rep.macro_f1, rep.confusion], [all.accuracy, all.macroF1, all.confusion]);
  assert.equal(rep.accuracy, all.confusion.reduce((a, row, i) => a + row[i], 0) / 70);
  assert.equal(rep.tta, "none", "a run without test-time augmentation saves a model without one");
  // a model naming its own test-time augmentation is evaluated with it unless --tta says otherwise
  const cfgPath = `${summary.run}/model/fer-config.json`;
  await Deno.writeTextFile(cfgPath, JSON.stringify({ ...JSON.parse(await Deno.readTextFile(cfgPath)), tta: "flip" }));
  const f = await fer("evaluate", "--model", `${summary.run}/model`, ...common, "--split", "all", "--json");
  const flipped = JSON.parse(f.out.trim().split("\n").at(-1)!);
  const flip = await evaluate({
    model: fm,
    cache,
    indices: ds.samples.map((_, i) => i),
    lbp,
    tta: "flip",
    split: "all",
  });
  assert.deepEqual([flipped.tta, flipped.confusion], ["flip", flip.confusion]);
  fm.model.dispose();

  const files = [];
  for (const i of [0, 1]) {
    const f = `${runs}/face${i}.png`;
    await writeImage(f, await ds.load(ds.samples[i], { size: 48 }));
    files.push(f);
  }
  const p = await fer("predict", "--model", `${summary.run}/model`, "--backend", "cpu", ...files, "--json");
  assert.equal(p.code, 0, p.err);
  const preds = JSON.parse(p.out.trim().split("\n").at(-1)!);
  assert.equal(preds.length, 2);
  for (const { detected, faces: [pr, ...more] } of preds) {
    assert.deepEqual([detected, more], [false, []], "a 48×48 face is classified whole");
    assert.ok(run.result.labels.includes(pr.label));
    const probs = Object.values(pr.probabilities) as number[];
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.equal(pr.probabilities[pr.label], Math.max(...probs));
  }
  await Deno.remove(runs, { recursive: true });
});

Deno.test("selecting a model on PrivateTest is refused", async () => {
  const r = await fer(
    "train",
    "--dataset",
    "synthetic",
    "--n",
    "20",
    "--val-split",
    "PrivateTest",
    "--backend",
    "cpu",
    "--runs",
    await Deno.makeTempDir(),
  );
  assert.equal(r.code, 1);
  assert.match(r.err, /PrivateTest is FER2013's final test split/);
});

Deno.test("train --config runs an experiment spec file; flags override its fields", async () => {
  const runs = await Deno.makeTempDir();
  const spec = `${runs}/spec.json`;
  await Deno.writeTextFile(
    spec,
    JSON.stringify({
      dataset: { dataset: "synthetic", n: 42, seed: 3 },
      model: { preset: "cpu-tiny", inputSize: 16 },
      train: { preset: "sgd", epochs: 5, batchSize: 16 },
      protocol: { kind: "split", train: "all", val: "holdout:0.25" },
    }),
  );
  const t = await fer("train", "--config", spec, "--epochs", "1", "--backend", "cpu", "--runs", runs, "--json");
  assert.equal(t.code, 0, t.err);
  const run = JSON.parse(await Deno.readTextFile(`${JSON.parse(t.out.trim().split("\n").at(-1)!).run}/run.json`));
  assert.deepEqual(run.protocol, { kind: "split", train: "all", val: "holdout:0.25" });
  assert.deepEqual([run.config.model.inputSize, run.config.model.width, run.config.model.numClasses], [16, 0.125, 7]);
  assert.deepEqual([run.config.train.optimizer, run.config.train.epochs, run.config.train.batchSize], ["sgd", 1, 16]);
  assert.equal(run.sizes.train + run.sizes.val, 42);
  assert.equal(run.sizes.test, run.sizes.val, "the held-out part is scored");
  await Deno.writeTextFile(spec, JSON.stringify({ model: "huge" }));
  const bad = await fer("train", "--config", spec, "--dataset", "synthetic", "--runs", runs);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /spec\.json: unknown model preset "huge"/);
  await Deno.remove(runs, { recursive: true });
});

Deno.test("k-fold on a subset of folds, with the TTA in the recorded train config and the accuracy without it", async () => {
  const runs = await Deno.makeTempDir();
  const t = await fer(
    ...["train", "--preset", "cpu-tiny", "--size", "16", "--epochs", "1", "--batch", "16", "--seed", "3"],
    ...["--dataset", "synthetic", "--n", "70", "--backend", "cpu", "--folds", "5", "--by", "subject"],
    ...["--only-folds", "2,4", "--tta", "flip", "--runs", runs, "--json"],
  );
  assert.equal(t.code, 0, t.err);
  const summary = JSON.parse(t.out.trim().split("\n").at(-1)!);
  const run = JSON.parse(await Deno.readTextFile(`${summary.run}/run.json`));
  assert.deepEqual(run.protocol, { kind: "kfold", k: 5, by: "subject", seed: 3, only: [2, 4] });
  assert.equal(run.config.train.tta, "flip");
  assert.equal(run.folds.length, 2);
  assert.deepEqual(run.foldHistories.map((h: unknown[]) => h.length), [1, 1]);
  // Seeded (data, folds, weights, batches) on tfjs's cpu backend, whose kernels are plain JavaScript: the same numbers
  // on every machine. One epoch leaves each fold's training and validation loss here, and each 14-face fold at 2
  // right with the flip TTA and 3 without it (counts this near chance can survive a change; the losses cannot).
  const losses = run.foldHistories.map(([h]: { loss: number; val_loss: number }[]) => [h.loss, h.val_loss]);
  const pinned = [[2.1905956722, 1.9462305517], [2.2768135411, 1.9453233770]];
  assert.ok(losses.flat().every((l: number, i: number) => Math.abs(l - pinned.flat()[i]) < 1e-6), `losses ${losses}`);
  const accuracies = run.folds.map((f: { accuracy: number }) => f.accuracy);
  assert.deepEqual([accuracies, run.accuracyWithoutTta], [[2 / 14, 2 / 14], [3 / 14, 3 / 14]]);
  const saved = JSON.parse(await Deno.readTextFile(`${summary.run}/fold-2/model/fer-config.json`));
  assert.equal(saved.tta, "flip", "each fold's model names the views its accuracy was measured with");
  await Deno.remove(runs, { recursive: true });
});
