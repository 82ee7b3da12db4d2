import assert from "node:assert/strict";
import { evenSubset, limitDataset } from "./subset.ts";

Deno.test("evenSubset spreads picks over the list", () => {
  assert.deepEqual(evenSubset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5), [0, 2, 4, 6, 8]);
  assert.deepEqual(evenSubset([1, 2], 5), [1, 2]);
  assert.throws(() => evenSubset([1], -1), /non-negative integer/);
});

Deno.test("limitDataset caps each split, or the whole set for k-fold, and still loads", async () => {
  type S = { path: string; split: string };
  const samples: S[] = [
    ...Array.from({ length: 10 }, (_, i) => ({ path: `t${i}`, split: "Training" })),
    ...Array.from({ length: 6 }, (_, i) => ({ path: `v${i}`, split: "PublicTest" })),
  ];
  const ds = {
    name: "toy",
    root: "/x",
    classes: ["a"],
    samples,
    load: (s: S) => Promise.resolve(s.path),
  };
  const small = limitDataset(ds, { kind: "split", train: "Training", val: "PublicTest" }, 4, 2);
  assert.deepEqual(small.samples.map((s) => s.path), ["t0", "t2", "t5", "t7", "v0", "v3"]);
  assert.equal(await small.load(small.samples[1]), "t2");
  assert.equal(limitDataset(ds, { kind: "kfold" }, 5, 3).samples.length, 8);
  assert.throws(
    () => limitDataset(ds, { kind: "split", train: "Training", val: "PrivateTest" }, 4, 2),
    /"PrivateTest" 0 samples/,
  );
});
