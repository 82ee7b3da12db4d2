import assert from "node:assert/strict";
import type { Sample } from "./dataset.ts";
import { foldSplit, kFold, splitIndices, subjectOverlap } from "./folds.ts";
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
  const { train, test } = foldSplit(folds, 2);
  assert.equal(train.length + test.length, xs.length);
  assert.ok(test.every((i) => !train.includes(i)));
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
  assert.deepEqual(splitIndices(xs, "PublicTest"), [3]);
  assert.throws(() => splitIndices(xs, "PrivateTest"), /no samples in split PrivateTest/);
});
