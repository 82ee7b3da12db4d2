import assert from "node:assert/strict";
import { trainPreset } from "./config.ts";

Deno.test("paper preset carries the published lr and batch size", () => {
  const p = trainPreset("paper");
  assert.equal(p.lr, 1e-6);
  assert.equal(p.batchSize, 40);
  assert.equal(trainPreset("default", { epochs: 3 }).epochs, 3);
});

Deno.test("bad presets and values are named", () => {
  assert.throws(() => trainPreset("nope"), /unknown train preset "nope"/);
  assert.throws(() => trainPreset("default", { lr: -1 }), /lr must be > 0/);
  assert.throws(() => trainPreset("default", { batchSize: 0 }), /batchSize/);
});

Deno.test("the recipe fields are optional, checked, and absent from the older presets", () => {
  for (const name of ["paper", "default", "cosine", "sgd"]) {
    const p = trainPreset(name) as unknown as Record<string, unknown>;
    for (const f of ["nesterov", "weightDecay", "labelSmoothing", "crop", "tta"]) assert.equal(p[f], undefined);
  }
  const ok = trainPreset("sgd", {
    nesterov: true,
    weightDecay: 5e-4,
    labelSmoothing: 0.1,
    crop: { fraction: 0.875, flip: true },
    tta: "tencrop",
    schedule: { kind: "step", milestones: [10, 20], factor: 0.1 },
  });
  assert.equal(ok.nesterov, true);
  const cpu = trainPreset("cpu");
  assert.deepEqual([cpu.optimizer, cpu.nesterov, cpu.weightDecay, cpu.schedule.kind], ["sgd", true, 5e-4, "cosine"]);
  assert.throws(() => trainPreset("default", { nesterov: true }), /nesterov needs optimizer sgd with momentum > 0/);
  assert.throws(() => trainPreset("sgd", { weightDecay: -1 }), /weightDecay must be >= 0/);
  assert.throws(() => trainPreset("sgd", { labelSmoothing: 1 }), /labelSmoothing must be in \[0,1\)/);
  assert.throws(() => trainPreset("sgd", { crop: { fraction: 0, flip: true } }), /crop must be/);
  assert.throws(() => trainPreset("sgd", { tta: "five" as "flip" }), /tta must be none\|flip\|tencrop/);
  assert.throws(
    () => trainPreset("sgd", { schedule: { kind: "step", milestones: [5, 5], factor: 0.1 } }),
    /milestones must be increasing/,
  );
});
