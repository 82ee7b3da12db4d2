import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { ImageCache } from "./pipeline.ts";
import { lbp3x3, patternDataset } from "./testdata/fixtures.ts";
import type { GrayImage } from "../data/image.ts";
import type { FerModel } from "../model/build.ts";
import { defaultConfig } from "../model/config.ts";
import { flipLR, resizeBilinear } from "../features/crop.ts";
import { evaluate, predictImages, ttaViews } from "./predict.ts";

await tf.setBackend("cpu");

/** softmax over [mean of left half, mean of right half, 0] of the raw picture: flip-sensitive on purpose. */
function halvesModel(size: number): FerModel {
  const raw = tfl.input({ shape: [size, size, 1] });
  const w = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) w[(y * size + x) * 3 + (x < size / 2 ? 0 : 1)] = 8 / (size * size);
  }
  const flat = tfl.layers.flatten().apply(raw) as tfl.SymbolicTensor;
  const dense = tfl.layers.dense({
    units: 3,
    activation: "softmax",
    useBias: false,
    weights: [tf.tensor2d(w, [size * size, 3])],
  });
  return {
    config: defaultConfig({ inputSize: size, lbp: "none", numClasses: 3 }),
    model: tfl.model({ inputs: raw, outputs: dense.apply(flat) as tfl.SymbolicTensor }),
    attention: null,
  };
}

const leftBright = (s: number): GrayImage => ({
  width: s,
  height: s,
  data: Uint8Array.from({ length: s * s }, (_, i) => (i % s < s / 2 ? 255 : 0)),
});

Deno.test("flip TTA averages the picture and its mirror", async () => {
  const fm = halvesModel(8);
  const plain = await predictImages(fm, [leftBright(8)]);
  const tta = await predictImages(fm, [leftBright(8)], { tta: "flip" });
  assert.ok(plain[0] > plain[1], "left half is brighter");
  assert.ok(Math.abs(tta[0] - tta[1]) < 1e-6, "mirror average is symmetric");
  const mirrored = await predictImages(fm, [flipLR(leftBright(8))]);
  assert.ok(Math.abs(tta[0] - (plain[0] + mirrored[0]) / 2) < 1e-6);
});

Deno.test("ten-crop makes ten views of the input size", () => {
  const views = ttaViews("tencrop");
  assert.equal(views.length, 10);
  for (const v of views) assert.equal(v(leftBright(16)).width, 16);
  const r = resizeBilinear({ width: 2, height: 2, data: Uint8Array.from([0, 100, 100, 200]) }, 4);
  assert.deepEqual([...r.data.subarray(0, 4)], [0, 25, 75, 100]);
});

Deno.test("evaluate reports accuracy and confusion on dataset samples; LBP model without LBP fn is an error", async () => {
  const ds = patternDataset({ n: 9, size: 8, seed: 1 });
  const fm = halvesModel(8);
  const rep = await evaluate({
    model: fm,
    cache: new ImageCache(ds, 8),
    indices: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    split: "all",
  });
  // Fixed weights (class 0 sums the left half, class 1 the right) on seeded bars: this exact confusion, none right.
  assert.deepEqual(rep.confusion, [[0, 3, 0], [3, 0, 0], [1, 2, 0]]);
  assert.equal(rep.accuracy, 0);
  assert.deepEqual(rep.labels, ["hbar", "vbar", "diag"]);
  const lbpModel: FerModel = { ...fm, config: { ...fm.config, lbp: "circle" } };
  await assert.rejects(() => predictImages(lbpModel, [leftBright(8)]), /takes an LBP input \(circle\)/);
  await assert.rejects(
    () => predictImages(lbpModel, [leftBright(8)], { lbp: lbp3x3 }),
    /config says lbp "circle" \(2 inputs\) but the model has 1/,
  );
});
