import assert from "node:assert/strict";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { attentionOnBatch } from "./attention_eval.ts";

Deno.test("attentionOnBatch runs a real layers model, averages channels and scores against masks", async () => {
  await tf.setBackend("cpu");
  // "attention" = 4×4 average pooling of an 8×8 picture, duplicated to two channels: F_m is [n, 2, 2, 2]
  const input = tfl.input({ shape: [8, 8, 1] });
  const pooled = tfl.layers.averagePooling2d({ poolSize: 4, strides: 4 }).apply(input) as tfl.SymbolicTensor;
  const both = tfl.layers.concatenate().apply([pooled, pooled]) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: both });
  const img = new Float32Array(64);
  for (let y = 4; y < 8; y++) for (let x = 0; x < 4; x++) img[y * 8 + x] = 1; // bright bottom-left quadrant
  const mask = new Uint8Array(64);
  img.forEach((v, i) => mask[i] = v ? 255 : 0);
  const x = tf.tensor4d([...img, ...new Float32Array(64).fill(0.5)], [2, 8, 8, 1]);
  const { scores, maps } = await attentionOnBatch(model, [x], [{ width: 8, height: 8, data: mask }, {
    width: 8,
    height: 8,
    data: mask,
  }]);
  x.dispose();
  assert.deepEqual([...maps[0].data], [0, 0, 1, 0]);
  assert.equal(maps[0].width, 2);
  // the 2×2 map upsampled to 8×8 keeps (3.5/4)² of its mass in the quadrant (see attention_score_test)
  assert.ok(Math.abs(scores[0].ratio - 3.0625) < 1e-5);
  assert.ok(Math.abs(scores[1].ratio - 1) < 1e-5); // a flat picture gives a uniform map
  model.dispose();
});
