import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { compareBackends, TOL } from "../testing.ts";

Deno.test("maxPool forward and gradient match the cpu backend (sizes, strides, padding)", async () => {
  const rng = new Rng("pool");
  for (let i = 0; i < 10; i++) {
    const k = 1 + rng.int(3), s = 1 + rng.int(2), pad = rng.bernoulli() ? "same" : "valid";
    const shape = [1 + rng.int(3), k + rng.int(8), k + rng.int(7), 1 + rng.int(6)];
    const d = await compareBackends([shape], ([x]) => {
      const f = (x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, k, s, pad as "same" | "valid");
      return [f(x), tf.grad((x: tf.Tensor) => tf.sum(tf.square(f(x))))(x)];
    }, rng);
    assert.ok(d.maxRel <= TOL, `shape ${shape} k${k} s${s} ${pad}: ${d.where}`);
  }
});

Deno.test("matMul (transposes, batches, broadcast batch) and fused dense match the cpu backend", async () => {
  const rng = new Rng("matmul");
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 5, 7], [4, 7, 3], false, false],
    [[1, 5, 7], [4, 7, 3], false, false],
  ];
  for (const [a, b, ta, tb] of cases) {
    const d = await compareBackends([a, b], ([x, y]) => [tf.matMul(x, y, ta, tb)], rng);
    assert.ok(d.maxRel <= TOL, `${a}×${b} ${ta} ${tb}: ${d.where}`);
  }
  const f = await compareBackends([[6, 9], [9, 4], [4]], ([x, w, b]) => {
    const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: "relu" });
    return [
      dense(x, w, b),
      ...tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(dense(x, w, b)))([x, w, b]),
    ];
  }, rng);
  assert.ok(f.maxRel <= TOL, f.where);
});

Deno.test("spaceToBatchND / batchToSpaceND (paddings, crops), splitV and concat match the cpu backend", async () => {
  const rng = new Rng("layout");
  for (
    const [b, pads] of [[2, [[0, 1], [2, 1]]], [3, [[1, 2], [0, 0]]], [5, [[2, 3], [4, 0]]]] as [number, number[][]][]
  ) {
    const h = 2 * b - pads[0][0] - pads[0][1] + b * rng.int(2), w = 3 * b - pads[1][0] - pads[1][1];
    const shape = [2, h + (b - ((h + pads[0][0] + pads[0][1]) % b)) % b, w, 3];
    const d = await compareBackends([shape], ([x]) => {
      const s = tf.spaceToBatchND(x, [b, b], pads);
      return [
        s,
        tf.batchToSpaceND(s, [b, b], pads),
        tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.spaceToBatchND(x, [b, b], pads))))(x),
      ];
    }, rng);
    assert.ok(d.maxRel <= TOL, `block ${b} ${JSON.stringify(pads)} ${shape}: ${d.where}`);
  }
  const c = await compareBackends([[2, 3, 4, 5], [2, 3, 4, 2], [2, 3, 4, 1]], ([a, b, e]) => {
    const cat = tf.concat([a, b, e], 3);
    const [p, q, r] = tf.split(cat, [4, 3, 1], 3);
    const cat1 = tf.concat([a, a], 1);
    return [
      cat,
      p,
      q,
      r,
      cat1,
      ...tf.split(cat1, 2, 1),
      tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.concat([a, b], 3))))(a),
    ];
  }, rng);
  assert.ok(c.maxRel <= TOL, c.where);
});
