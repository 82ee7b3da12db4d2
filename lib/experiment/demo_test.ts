import assert from "node:assert/strict";
import { demoSpec, runDemo } from "./demo.ts";
import { parseSpec, resolveModel, resolveTrain, type TrainSpec } from "./spec.ts";
import { readRun } from "./store.ts";

Deno.env.set("FER_PROGRESS", "silent");

Deno.test("the fast demo trains, scores its F_m after every epoch and at the end, and records the score", async () => {
  const out = await Deno.makeTempDir(), runs = await Deno.makeTempDir();
  Deno.env.set("FER_OUTPUTS", runs);
  try {
    const r = await runDemo({
      fast: true,
      runtime: { backend: "cpu" },
      quiet: true,
      out,
      overrides: { train: { epochs: 2 } },
    });
    assert.ok(r.accuracy >= 0 && r.accuracy <= 1);
    assert.equal(r.tta, "tencrop");
    assert.ok(r.accuracyWithoutTta! >= 0 && r.accuracyWithoutTta! <= 1, "the single-view accuracy is reported too");
    const a = r.attention!;
    assert.deepEqual(a.perEpoch.map((p) => p.epoch), [1, 2]);
    assert.deepEqual([a.n, a.perEpochN, a.seed], [70, 35, 1001]);
    assert.ok(a.ratio > 0.3 && a.ratio < 5, `ratio ${a.ratio}`);
    assert.ok(Math.abs(a.uniform - 1) < 1e-9 && a.centre > 1);
    assert.ok(a.ceiling! > a.centre, `the mask at F_m's 3×3 (${a.ceiling}) beats the centred Gaussian (${a.centre})`);
    const rec = await readRun(r.runDir);
    assert.deepEqual(rec.attention, a, "the score is in run.json");
    assert.deepEqual(rec.accuracyWithoutTta, [r.accuracyWithoutTta], "and the single-view accuracy");
    assert.equal(rec.config.train.epochs, 2, "the override reached the training");
    assert.equal(rec.history!.length, 2);
    const noAtt = await runDemo({
      fast: true,
      runtime: { backend: "cpu" },
      quiet: true,
      out,
      overrides: { model: { attention: false }, train: { epochs: 1 } },
    });
    assert.equal(noAtt.attention, null);
  } finally {
    Deno.env.delete("FER_OUTPUTS");
    await Deno.remove(out, { recursive: true });
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("the demo's recipe, and overrides that name a training preset starting from that preset", () => {
  const train = (t: unknown) => resolveTrain(parseSpec(t, "test").train);
  const recipe = train(demoSpec(false));
  assert.deepEqual([recipe.optimizer, recipe.schedule.kind, recipe.batchSize, recipe.augment], [
    "adam",
    "cosine",
    16,
    false,
  ]);
  assert.deepEqual(recipe.crop, { fraction: 0.875, flip: true });
  assert.equal(recipe.keep, "last", "no epoch is picked on the held-out faces the demo reports");
  assert.equal(recipe.epochs, 30);
  assert.equal(recipe.weightDecay, 5e-4);
  assert.equal(recipe.tta, "tencrop", "the final evaluation averages the ten crops the network trained at");
  const model = resolveModel(parseSpec(demoSpec(false), "test").model, 7);
  assert.deepEqual([model.attentionSkip, model.reconstruction, model.head, model.inputSize], [
    false,
    false,
    "gap",
    48,
  ]);
  assert.equal(
    resolveModel(parseSpec(demoSpec(true), "test").model, 7).inputSize,
    24,
    "the smoke run's faces are 24 px",
  );
  const named = demoSpec(false, undefined, "sgd");
  assert.deepEqual(named.train, { epochs: 30, seed: 1, preset: "sgd", batchSize: 32 } satisfies TrainSpec);
  assert.equal(train(named).crop, undefined, "a named preset does not inherit the demo's crops");
  assert.equal(demoSpec(false).dataset!.subjects, 300);
  assert.equal(demoSpec(true).dataset!.subjects, undefined, "the smoke run keeps the generator's default identities");
});
