import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { input, model } from "@tensorflow/tfjs-layers";
import { Rng } from "../util/rng.ts";
import { AtrousConv2D, atrousConv3x3 } from "./atrous.ts";

await tf.setBackend("cpu");

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

Deno.test("atrousConv3x3 equals tf.conv2d with dilationRate for odd and even sizes, d = 1..5", () => {
  const rng = new Rng(7);
  for (const [h, w] of [[7, 9], [11, 5], [8, 8], [13, 13], [3, 4]]) {
    for (let d = 1; d <= 5; d++) {
      tf.tidy(() => {
        const x = randomTensor(rng, [2, h, w, 3]) as tf.Tensor4D;
        const k = randomTensor(rng, [3, 3, 3, 4]) as tf.Tensor4D;
        const ours = atrousConv3x3(x, k, d);
        const ref = tf.conv2d(x, k, 1, "same", "NHWC", d);
        assert.deepEqual(ours.shape, ref.shape);
        const diff = maxAbsDiff(ours, ref);
        assert.ok(diff < 1e-4, `h=${h} w=${w} d=${d}: max |diff| = ${diff}`);
      });
    }
  }
});

Deno.test("atrousConv3x3 gradients match central finite differences", () => {
  const rng = new Rng(11);
  for (const d of [2, 3, 5]) {
    tf.tidy(() => {
      const x = randomTensor(rng, [1, 7, 6, 2]) as tf.Tensor4D;
      const k = randomTensor(rng, [3, 3, 2, 3]) as tf.Tensor4D;
      const r = randomTensor(rng, [1, 7, 6, 3]);
      const f = (xx: tf.Tensor, kk: tf.Tensor) =>
        tf.sum(tf.mul(atrousConv3x3(xx as tf.Tensor4D, kk as tf.Tensor4D, d), r));
      const [gx, gk] = tf.grads(f)([x, k]);
      const eps = 1e-2;
      const check = (which: 0 | 1, flatIndex: number) => {
        const base = which === 0 ? x : k;
        // tf.tensor keeps (does not copy) a typed array, so each perturbed input gets its own copy.
        const shifted = (delta: number) => {
          const v = base.dataSync().slice();
          v[flatIndex] += delta;
          return tf.tensor(v, base.shape);
        };
        const plus = shifted(eps);
        const minus = shifted(-eps);
        const fp = which === 0 ? f(plus, k) : f(x, plus);
        const fm = which === 0 ? f(minus, k) : f(x, minus);
        const numeric = (fp.dataSync()[0] - fm.dataSync()[0]) / (2 * eps);
        const analytic = (which === 0 ? gx : gk).dataSync()[flatIndex];
        assert.ok(
          Math.abs(numeric - analytic) < 2e-2 * Math.max(1, Math.abs(numeric)),
          `d=${d} ${which === 0 ? "input" : "kernel"}[${flatIndex}]: numeric ${numeric} vs analytic ${analytic}`,
        );
      };
      for (let i = 0; i < 8; i++) check(0, rng.int(x.size));
      for (let i = 0; i < 8; i++) check(1, rng.int(k.size));
    });
  }
});

Deno.test("AtrousConv2D layer keeps spatial size and trains where tf.layers.conv2d cannot", () => {
  const inp = input({ shape: [9, 9, 2] });
  const layer = new AtrousConv2D({ filters: 4, dilation: 3, seed: 5, name: "a" });
  const m = model({ inputs: inp, outputs: layer.apply(inp) as never });
  assert.deepEqual(m.outputs[0].shape, [null, 9, 9, 4]);
  const x = tf.randomNormal([2, 9, 9, 2], 0, 1, "float32", 1);
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(
    () => tf.mean(tf.square(m.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
    vars,
  );
  const g = grads[vars[0].name];
  assert.deepEqual(g.shape, [3, 3, 2, 4]);
  assert.ok(tf.sum(tf.abs(g)).dataSync()[0] > 0, "kernel gradient is all zero");
  assert.deepEqual(layer.getConfig().dilation, 3);
  assert.throws(() => new AtrousConv2D({ filters: 4, dilation: 0 }), /dilation must be a positive integer/);
});
