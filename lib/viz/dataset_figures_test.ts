import assert from "node:assert/strict";
import { classDistributionFigure, classGridFigure, foldFigure, foldTable } from "./dataset_figures.ts";
import { syntheticDataset } from "../data/synthetic.ts";
import { summarize } from "../data/summary.ts";
import { kFold } from "../data/routing.ts";
import { fileDataset } from "../data/dataset.ts";

Deno.test("class distribution and fold figures carry the counts; fold table sums to the dataset", () => {
  const ds = syntheticDataset({ n: 70, seed: 1 });
  const fig = classDistributionFigure(summarize(ds));
  for (const c of ds.classes) assert.ok(fig.svg.includes(`>${c}</text>`), c);
  assert.ok(fig.svg.includes(">10</text>"));
  const folds = kFold(ds.samples, { k: 5, seed: 0, by: "subject" });
  const rows = foldTable(ds, folds);
  assert.equal(rows.reduce((a, r) => a + (r.images as number), 0), 70);
  assert.deepEqual(rows.map((r) => r.subjects), [1, 1, 1, 1, 1]);
  assert.deepEqual(rows.map((r) => r.happy), [2, 2, 2, 2, 2]);
  assert.ok(foldFigure(ds, folds).svg.includes(">fold 4</text>"));
});

Deno.test("class grid: one row per class, masks overlay only where the dataset has them", async () => {
  const ds = syntheticDataset({ n: 70, seed: 1 });
  const plain = await classGridFigure(ds, { perClass: 3 });
  const masked = await classGridFigure(ds, { perClass: 3, masks: true });
  assert.equal(plain.height, masked.height);
  assert.notDeepEqual(plain.png, masked.png);
  const two = await classGridFigure(ds, { perClass: 2 });
  assert.ok(plain.width > two.width);
  const noMasks = fileDataset({ name: "x", root: "/", classes: ["happy"], samples: [{ path: "/a.png", label: 0 }] });
  await assert.rejects(classGridFigure(noMasks, { perClass: 1, masks: true }), /dataset x has no masks/);
});
