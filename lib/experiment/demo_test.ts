import assert from "node:assert/strict";
import { demoSpec, runDemo } from "./demo.ts";
import { parseSpec, resolveModel, type TrainSpec } from "./spec.ts";
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
    // Seeded data, weights and batches on tfjs's cpu backend: the same numbers on every machine. Two fast
    // demo epochs leave it at chance (42 held-out faces); a change in the data, model, training or scoring moves them.
    assert.equal(r.tta, "tencrop");
    assert.deepEqual([r.accuracy, r.accuracyWithoutTta], [6 / 42, 7 / 42], "ten-crop and single-view accuracy");
    const a = r.attention!;
    assert.deepEqual(a.perEpoch.map((p) => p.epoch), [1, 2]);
    assert.deepEqual([a.n, a.perEpochN, a.seed], [70, 35, 1001]);
    const near = (x: number, want: number) => Math.abs(x - want) < 1e-9;
    assert.ok(near(a.ratio, 0.9812614847), `ratio ${a.ratio}`);
    assert.ok(a.perEpoch.every((p, i) => near(p.ratio, [0.9956974820, 0.9777809359][i])), JSON.stringify(a.perEpoch));
    assert.ok(near(a.uniform, 1) && near(a.centre, 2.1388965999), `uniform ${a.uniform}, centre ${a.centre}`);
    assert.ok(near(a.ceiling!, 2.7034198148), `the mask at F_m's 3×3 scores ${a.ceiling}`);
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
  const train = (t: unknown) => parseSpec(t, "test").train;
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
  const model = resolveModel(parseSpec(demoSpec(false), "test").spec.model, 7);
  assert.deepEqual([model.attentionSkip, model.reconstruction, model.head, model.inputSize], [
    false,
    false,
    "gap",
    48,
  ]);
  assert.equal(
    resolveModel(parseSpec(demoSpec(true), "test").spec.model, 7).inputSize,
    24,
    "the smoke run's faces are 24 px",
  );
  const named = demoSpec(false, undefined, "sgd");
  assert.deepEqual(named.train, { epochs: 30, seed: 1, preset: "sgd", batchSize: 32 } satisfies TrainSpec);
  assert.equal(train(named).crop, undefined, "a named preset does not inherit the demo's crops");
  assert.equal(demoSpec(false).dataset!.subjects, 300);
  assert.equal(demoSpec(true).dataset!.subjects, undefined, "the smoke run keeps the generator's default identities");
});
