import assert from "node:assert/strict";
import { patternDataset } from "../engine/testdata/fixtures.ts";
import { splitValidation } from "./split.ts";

const ds = patternDataset({ n: 90, size: 16, seed: 2 });
const idx = ds.samples.map((_, i) => i);

Deno.test("validation split keeps subjects whole and disjoint from training", () => {
  const { train, val } = splitValidation(ds, idx, { fraction: 0.2, by: "subject", seed: 1 });
  assert.equal(train.length + val.length, idx.length);
  const subj = (xs: number[]) => new Set(xs.map((i) => ds.samples[i].subject));
  for (const s of subj(val)) assert.ok(!subj(train).has(s), `subject ${s} on both sides`);
  assert.ok(val.length >= 10);
});

Deno.test("a random split takes the fraction, is seeded, and fraction 0 keeps everything for training", () => {
  const a = splitValidation(ds, idx, { fraction: 0.2, by: "random", seed: 3 });
  assert.equal(a.val.length, 18);
  assert.deepEqual(splitValidation(ds, idx, { fraction: 0.2, by: "random", seed: 3 }), a);
  assert.notDeepEqual(splitValidation(ds, idx, { fraction: 0.2, by: "random", seed: 4 }).val, a.val);
  assert.deepEqual(splitValidation(ds, idx, { fraction: 0, by: "subject", seed: 1 }), { train: idx, val: [] });
});
