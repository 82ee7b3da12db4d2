import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-layers"; // registers the gradients of every op
import { patchCpuKernels } from "./cpu_kernels.ts";

await tf.setBackend("cpu");

function filterGrads(): Float32Array[] {
  const out: Float32Array[] = [];
  const cases: {
    x: [number, number, number, number];
    f: [number, number, number, number];
    s: number;
    pad: "same" | "valid";
  }[] = [
    { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 1, pad: "same" },
    { x: [1, 10, 10, 2], f: [3, 3, 2, 4], s: 2, pad: "same" },
    { x: [3, 8, 8, 4], f: [1, 1, 4, 2], s: 1, pad: "valid" },
    { x: [1, 11, 9, 2], f: [5, 3, 2, 3], s: 2, pad: "valid" },
  ];
  for (const c of cases) {
    const x = tf.randomNormal(c.x, 0, 1, "float32", 1), w = tf.randomNormal(c.f, 0, 1, "float32", 2);
    const g = tf.grad((f: tf.Tensor) =>
      tf.sum(tf.square(tf.relu(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.pad))))
    )(w);
    out.push(g.dataSync() as Float32Array);
    tf.dispose([x, w, g]);
  }
  return out;
}

Deno.test("patched Conv2DBackpropFilter matches tfjs' kernel on strides, paddings and 1x1/5x3 filters", () => {
  const before = filterGrads();
  assert.equal(patchCpuKernels(), true);
  const after = filterGrads();
  assert.equal(patchCpuKernels(), false, "second call is a no-op");
  before.forEach((b, i) => {
    let maxErr = 0;
    for (let j = 0; j < b.length; j++) maxErr = Math.max(maxErr, Math.abs(b[j] - after[i][j]) / (1 + Math.abs(b[j])));
    assert.ok(maxErr < 1e-4, `case ${i}: max relative error ${maxErr}`);
  });
});
