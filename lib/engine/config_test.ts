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
