import assert from "node:assert/strict";
import { classWeightVector, cosineLr, trainPreset } from "./config.ts";

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

Deno.test("balanced class weights are n / (k · count)", () => {
  assert.deepEqual(classWeightVector("balanced", [0, 0, 0, 1], 2), [4 / 6, 2]);
  assert.deepEqual(classWeightVector("none", [0, 1], 2), [1, 1]);
  assert.throws(() => classWeightVector([1], [0, 1], 2), /1 entries, the dataset has 2/);
});

Deno.test("cosine schedule starts at lr and ends at minLr", () => {
  assert.equal(cosineLr(1e-3, 1e-5, 0, 10), 1e-3);
  assert.ok(Math.abs(cosineLr(1e-3, 1e-5, 10, 10) - 1e-5) < 1e-15);
  assert.ok(Math.abs(cosineLr(1e-3, 0, 5, 10) - 5e-4) < 1e-15);
});
