import assert from "node:assert/strict";
import type { Dataset, Sample } from "./dataset.ts";
import {
  evenSubset,
  kFold,
  limitDataset,
  pickSplit,
  splitProtocolIndices,
  splitValidation,
  subjectOverlap,
} from "./routing.ts";
import { Rng } from "../util/rng.ts";

/** 30 subjects with uneven image counts and class mixes. */
function samples(): Sample[] {
  const r = new Rng(3);
  const out: Sample[] = [];
  for (let s = 0; s < 30; s++) {
    const n = 3 + r.int(12);
    for (let j = 0; j < n; j++) out.push({ path: `s${s}_${j}`, label: r.int(5), subject: `S${s}` });
  }
  return out;
}

Deno.test("random k-fold: a partition, stratified within one image per class, seeded", () => {
  const xs = samples();
  const folds = kFold(xs, { k: 5, seed: 1, by: "random" });
  assert.deepEqual(folds.flat().sort((a, b) => a - b), xs.map((_, i) => i));
  const sizes = folds.map((f) => f.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  for (let c = 0; c < 5; c++) {
    const per = folds.map((f) => f.filter((i) => xs[i].label === c).length);
    assert.ok(Math.max(...per) - Math.min(...per) <= 1, `class ${c}: ${per}`);
  }
  assert.deepEqual(kFold(xs, { k: 5, seed: 1, by: "random" }), folds);
  assert.notDeepEqual(kFold(xs, { k: 5, seed: 2, by: "random" }), folds);
  assert.ok(subjectOverlap(xs, folds).length > 0, "random folds do leak subjects");
});

Deno.test("subject k-fold: no subject in two folds, every class in every fold, seeded", () => {
  const xs = samples();
  const folds = kFold(xs, { k: 5, seed: 1, by: "subject" });
  assert.deepEqual(folds.flat().sort((a, b) => a - b), xs.map((_, i) => i));
  assert.deepEqual(subjectOverlap(xs, folds), []);
  for (const f of folds) assert.equal(new Set(f.map((i) => xs[i].label)).size, 5);
  assert.deepEqual(kFold(xs, { k: 5, seed: 1, by: "subject" }), folds);
  assert.notDeepEqual(kFold(xs, { k: 5, seed: 9, by: "subject" }), folds);
});

Deno.test("fold errors: too few subjects, missing subject, bad k; official splits", () => {
  const xs: Sample[] = [0, 1, 2, 3].map((i) => ({
    path: `p${i}`,
    label: i % 2,
    subject: `S${i % 2}`,
    split: i < 3 ? "Training" : "PublicTest",
  }));
  assert.throws(() => kFold(xs, { k: 3, seed: 0, by: "subject" }), /2 subjects cannot fill 3 folds/);
  assert.throws(
    () => kFold([{ path: "a", label: 0 }, { path: "b", label: 0 }], { k: 2, seed: 0, by: "subject" }),
    /sample 0 \(a\) has no subject/,
  );
  assert.throws(() => kFold(xs, { k: 1, seed: 0, by: "random" }), /k must be an integer >= 2/);
  const ds = { name: "toy", samples: xs };
  assert.deepEqual(pickSplit(ds, "PublicTest"), [3]);
  assert.deepEqual(pickSplit(ds, "all"), [0, 1, 2, 3]);
  assert.throws(
    () => pickSplit(ds, "PrivateTest"),
    /toy: no samples in split "PrivateTest" \(splits: Training, PublicTest;/,
  );
});

/** The 30-subject samples as a dataset whose pictures are 1×1 (routing never decodes them). */
function dataset(xs: Sample[]): Dataset {
  return {
    name: "toy",
    root: "/toy",
    classes: ["a", "b", "c", "d", "e"],
    samples: xs,
    load: (s) => Promise.resolve({ width: 1, height: 1, data: Uint8Array.of(xs.indexOf(s)) }),
  };
}

Deno.test("validation split keeps subjects whole and disjoint from training", () => {
  const ds = dataset(samples()), idx = ds.samples.map((_, i) => i);
  const { train, val } = splitValidation(ds, idx, { fraction: 0.2, by: "subject", seed: 1 });
  assert.equal(train.length + val.length, idx.length);
  const subj = (xs: number[]) => new Set(xs.map((i) => ds.samples[i].subject));
  for (const s of subj(val)) assert.ok(!subj(train).has(s), `subject ${s} on both sides`);
  assert.ok(val.length >= 0.2 * idx.length && val.length < 0.3 * idx.length, `${val.length} of ${idx.length}`);
});

Deno.test("a random validation split takes the fraction, is seeded, and fraction 0 keeps everything for training", () => {
  const ds = dataset(samples().slice(0, 90)), idx = ds.samples.map((_, i) => i);
  const a = splitValidation(ds, idx, { fraction: 0.2, by: "random", seed: 3 });
  assert.equal(a.val.length, 18);
  assert.deepEqual(splitValidation(ds, idx, { fraction: 0.2, by: "random", seed: 3 }), a);
  assert.notDeepEqual(splitValidation(ds, idx, { fraction: 0.2, by: "random", seed: 4 }).val, a.val);
  assert.deepEqual(splitValidation(ds, idx, { fraction: 0, by: "subject", seed: 1 }), { train: idx, val: [] });
});

Deno.test("split protocols: official splits, a held-out validation part, a held-out test part, never PrivateTest", () => {
  const xs = samples().map((s, i) => ({ ...s, split: i % 4 === 0 ? "PublicTest" : "Training" }));
  const ds = dataset(xs), all = xs.map((_, i) => i);
  const official = splitProtocolIndices(ds, { train: "Training", val: "PublicTest" }, 1);
  assert.deepEqual(official.val, pickSplit(ds, "PublicTest"));
  assert.deepEqual(official.test, official.val, "the test part defaults to the validation part");
  const held = splitProtocolIndices(ds, { train: "all", val: "holdout:0.2" }, 1);
  assert.deepEqual(held, { ...splitValidation(ds, all, { fraction: 0.2, by: "subject", seed: 1 }), test: held.val });
  const three = splitProtocolIndices(ds, { train: "all", val: "holdout:0.1", test: "holdout:0.2" }, 1);
  const first = splitValidation(ds, all, { fraction: 0.2, by: "subject", seed: 1 });
  assert.deepEqual(three.test, first.val);
  assert.deepEqual(
    { train: three.train, val: three.val },
    splitValidation(ds, first.train, { fraction: 0.1, by: "subject", seed: 2 }),
  );
  const subjects = (idx: number[]) => new Set(idx.map((i) => xs[i].subject));
  for (const s of subjects(three.test)) assert.ok(!subjects(three.train).has(s) && !subjects(three.val).has(s));
  assert.throws(
    () => splitProtocolIndices(ds, { train: "Training", val: "PrivateTest" }, 1),
    /select models on PublicTest, never on PrivateTest/,
  );
});

Deno.test("evenSubset spreads picks over the list", () => {
  assert.deepEqual(evenSubset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5), [0, 2, 4, 6, 8]);
  assert.deepEqual(evenSubset([1, 2], 5), [1, 2]);
  assert.throws(() => evenSubset([1], -1), /non-negative integer/);
});

Deno.test("limitDataset caps each split, or the whole set for k-fold, and still loads", async () => {
  const xs: Sample[] = [
    ...Array.from({ length: 10 }, (_, i) => ({ path: `t${i}`, label: 0, split: "Training" })),
    ...Array.from({ length: 6 }, (_, i) => ({ path: `v${i}`, label: 0, split: "PublicTest" })),
  ];
  const ds = dataset(xs);
  const small = limitDataset(ds, { kind: "split", train: "Training", val: "PublicTest" }, 4, 2);
  assert.deepEqual(small.samples.map((s) => s.path), ["t0", "t2", "t5", "t7", "v0", "v3"]);
  assert.deepEqual((await small.load(small.samples[1])).data, Uint8Array.of(2));
  assert.equal(limitDataset(ds, { kind: "kfold" }, 5, 3).samples.length, 8);
  assert.throws(
    () => limitDataset(ds, { kind: "split", train: "Training", val: "PrivateTest" }, 4, 2),
    /"PrivateTest" 0 samples/,
  );
});
