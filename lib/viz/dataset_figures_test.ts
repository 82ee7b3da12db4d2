import assert from "node:assert/strict";
import { classDistributionFigure, classGridFigure, foldFigure, foldTable } from "./dataset_figures.ts";
import { syntheticDataset } from "../data/synthetic.ts";
import { summarize } from "../data/summary.ts";
import { kFold } from "../data/routing.ts";
import { fileDataset } from "../data/dataset.ts";
import { createCanvas, loadImage } from "@napi-rs/canvas";

/** The RGBA pixels of a PNG. */
async function pixels(png: Uint8Array): Promise<Uint8ClampedArray> {
  const img = await loadImage(png);
  const ctx = createCanvas(img.width, img.height).getContext("2d");
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}

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
  // The plain grid is grey throughout; the overlay tints exactly the 7 × 3 face tiles (48 px at scale 2) and
  // leaves titles and labels alone.
  const [a, b] = [await pixels(plain.png), await pixels(masked.png)];
  const coloured = (d: Uint8ClampedArray, i: number) => d[i] !== d[i + 1] || d[i + 1] !== d[i + 2];
  let changed = 0, plainColour = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (coloured(a, i)) plainColour++;
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) changed++;
  }
  assert.deepEqual([plainColour, changed], [0, 7 * 3 * 96 * 96]);
  const two = await classGridFigure(ds, { perClass: 2 });
  assert.ok(plain.width > two.width);
  const noMasks = fileDataset({ name: "x", root: "/", classes: ["happy"], samples: [{ path: "/a.png", label: 0 }] });
  await assert.rejects(classGridFigure(noMasks, { perClass: 1, masks: true }), /dataset x has no masks/);
});
