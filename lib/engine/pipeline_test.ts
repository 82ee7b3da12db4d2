import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Rng } from "../util/rng.ts";
import { batchCount, hostBatches, ImageCache, toTensors } from "./pipeline.ts";
import { flipAugment, lbp3x3, patternDataset } from "./testdata/fixtures.ts";

const ds = patternDataset({ n: 25, size: 12, seed: 5 });
const indices = Array.from({ length: 25 }, (_, i) => i);

async function collect(seed: number) {
  const out = [];
  const cache = new ImageCache(ds, 12);
  const rng = new Rng(seed);
  for await (
    const b of hostBatches({ cache, indices, batchSize: 8, rng, shuffle: true, augment: flipAugment, lbp: lbp3x3 })
  ) {
    out.push(b);
  }
  return out;
}

Deno.test("one pass covers every index once, in shuffled batches with a short last batch", async () => {
  const batches = await collect(1);
  assert.equal(batches.length, batchCount(25, 8));
  assert.deepEqual(batches.map((b) => b.n), [8, 8, 8, 1]);
  const seen = batches.flatMap((b) => b.indices);
  assert.deepEqual([...seen].sort((a, b) => a - b), indices);
  assert.notDeepEqual(seen, indices);
  for (const b of batches) b.indices.forEach((di, k) => assert.equal(b.labels[k], ds.samples[di].label));
});

Deno.test("same seed, same batches; other seed, other order", async () => {
  const a = await collect(1), b = await collect(1), c = await collect(2);
  assert.deepEqual(a.map((x) => [...x.raw]), b.map((x) => [...x.raw]));
  assert.notDeepEqual(a.map((x) => x.indices), c.map((x) => x.indices));
});

Deno.test("LBP is computed from the augmented raw picture", async () => {
  for (const b of await collect(3)) {
    for (let k = 0; k < b.n; k++) {
      const px = 144;
      const data = Uint8Array.from(b.raw.subarray(k * px, (k + 1) * px), (v) => Math.round(v * 255));
      assert.deepEqual([...lbp3x3({ width: 12, height: 12, data })], [...b.lbp!.subarray(k * px, (k + 1) * px)]);
    }
  }
});

Deno.test("toTensors gives [n,S,S,1] inputs and one-hot labels", async () => {
  const [b] = await collect(1);
  const { inputs, labels } = toTensors(b, { numClasses: 3 });
  assert.deepEqual(inputs.map((t) => t.shape), [[8, 12, 12, 1], [8, 12, 12, 1]]);
  assert.deepEqual(tf.argMax(labels, 1).arraySync(), [...b.labels]);
  tf.dispose([...inputs, labels]);
});

Deno.test("a wrong-sized picture from the loader is an error naming the file", async () => {
  const bad = { ...ds, load: () => Promise.resolve({ width: 5, height: 5, data: new Uint8Array(25) }) };
  const cache = new ImageCache(bad, 12);
  await assert.rejects(() => cache.get(0), /mem:\/\/0\.png: expected a 12x12 picture/);
});
