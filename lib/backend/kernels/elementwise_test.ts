import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { compareBackends, TOL } from "../testing.ts";
import { broadcastPlan, reductionSplit } from "./elementwise.ts";

const BROADCASTS: [number[], number[]][] = [
  [[2, 5, 7, 3], [2, 5, 7, 3]],
  [[2, 5, 7, 3], [3]],
  [[2, 5, 7, 3], []],
  [[], [3, 4]],
  [[3], [2, 5, 7, 3]],
  [[2, 1, 7, 3], [2, 5, 1, 3]],
  [[4, 1], [1, 6]],
  [[1, 1, 1, 3], [2, 5, 7, 1]],
];

Deno.test("broadcastPlan merges dims walked alike and keeps broadcast strides", () => {
  const p = broadcastPlan([2, 5, 7, 3], [3]);
  assert.deepEqual(p.outShape, [2, 5, 7, 3]);
  assert.deepEqual([...p.dims].map(Number), [70, 3]);
  assert.deepEqual([...p.sa].map(Number), [3, 1]);
  assert.deepEqual([...p.sb].map(Number), [0, 1]);
  assert.deepEqual([...broadcastPlan([4, 6], [4, 6]).dims].map(Number), [24]);
});

Deno.test("reductionSplit finds [outer, reduced, inner] for contiguous axes only", () => {
  assert.deepEqual(reductionSplit([2, 5, 7, 3], [0, 1, 2]), [1, 70, 3]);
  assert.deepEqual(reductionSplit([2, 5, 7, 3], [1, 2]), [2, 35, 3]);
  assert.deepEqual(reductionSplit([2, 1, 7, 3], [0, 2]), [1, 14, 3]);
  assert.equal(reductionSplit([2, 5, 7, 3], [0, 2]), undefined);
});

Deno.test("binary ops with broadcasting match the cpu backend", async () => {
  const rng = new Rng("binary");
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ["add", tf.add],
    ["sub", tf.sub],
    ["mul", tf.mul],
    ["div", tf.div],
    ["squaredDifference", tf.squaredDifference],
    ["maximum", tf.maximum],
    ["minimum", tf.minimum],
  ];
  for (const [a, b] of BROADCASTS) {
    for (const [name, op] of ops) {
      const d = await compareBackends([a, b], ([x, y]) => [op(x, y)], rng);
      assert.ok(d.maxRel <= TOL, `${name} ${a}⊕${b}: ${d.where}`);
    }
  }
});

Deno.test("unary ops match the cpu backend", async () => {
  const rng = new Rng("unary");
  const d = await compareBackends([[3, 9, 11, 5]], ([x]) => {
    const p = tf.add(tf.abs(x), 0.1);
    return [
      tf.relu(x),
      tf.step(x, 0.3),
      tf.square(x),
      tf.sqrt(p),
      tf.rsqrt(p),
      tf.neg(x),
      tf.exp(x),
      tf.log(p),
      tf.abs(x),
    ];
  }, rng);
  assert.ok(d.maxRel <= TOL, d.where);
});

Deno.test("sum and mean over axis runs (keepDims or not) match the cpu backend", async () => {
  const rng = new Rng("reduce");
  const axes: (number | number[])[] = [[0, 1, 2], [1, 2], 3, 0, [2, 3], [0, 2], -1];
  for (const ax of axes) {
    for (const keep of [false, true]) {
      const d = await compareBackends([[3, 7, 9, 5]], ([x]) => [tf.sum(x, ax, keep), tf.mean(x, ax, keep)], rng);
      assert.ok(d.maxRel <= TOL, `axis ${ax} keepDims ${keep}: ${d.where}`);
    }
  }
});

Deno.test("tile and batchNorm match the cpu backend", async () => {
  const rng = new Rng("tile-bn");
  const t = await compareBackends(
    [[1, 1, 1, 6], [2, 3, 1, 4]],
    ([a, b]) => [tf.tile(a, [2, 5, 3, 1]), tf.tile(b, [1, 2, 3, 2])],
    rng,
  );
  assert.ok(t.maxRel <= TOL, t.where);
  const bn = await compareBackends([[2, 5, 7, 6], [6], [6], [6], [6]], ([x, m, v, o, s]) => {
    const vp = tf.add(tf.abs(v), 0.5);
    return [tf.batchNorm(x, m, vp, o, s, 1e-3), tf.batchNorm(x, m, vp, undefined, undefined, 1e-3)];
  }, rng);
  assert.ok(bn.maxRel <= TOL, bn.where);
});

Deno.test("gradients of moments + batchNorm + relu (a training BatchNorm) match the cpu backend", async () => {
  const rng = new Rng("bn-grad");
  for (const shape of [[2, 5, 7, 6], [3, 4, 4, 1], [1, 3, 5, 9]]) {
    const c = shape[3];
    const d = await compareBackends([shape, [c], [c], shape], ([x, gamma, beta, w]) => {
      const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        const y = tf.relu(tf.batchNorm(x, mean, variance, beta, gamma, 1e-3));
        return tf.sum(tf.mul(y, w));
      };
      return tf.grads(f)([x, gamma, beta]);
    }, rng);
    assert.ok(d.maxRel <= TOL, `${shape}: ${d.where}`);
  }
});
