import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../util/rng.ts";
import { TOL } from "../../testing.ts";
import { compareTorch } from "../testing.ts";

Deno.test("torch reductions over any axes (keepDims or not) match cpu, with gradients", async () => {
  const rng = new Rng("torch-reduce");
  for (const axis of [undefined, 0, 1, 2, -1, [0, 2], [0, 1, 2], [1, 2]]) {
    for (const keepDims of [false, true]) {
      const d = await compareTorch([[3, 4, 5]], ([x]) => {
        const b = tf.greater(x, 0);
        const outs = [
          ...[
            tf.sum(x, axis, keepDims),
            tf.mean(x, axis, keepDims),
            tf.max(x, axis, keepDims),
            tf.min(x, axis, keepDims),
          ],
          ...[tf.prod(tf.add(tf.mul(x, 0.1), 1), axis, keepDims), tf.all(b, axis, keepDims), tf.any(b, axis, keepDims)],
          tf.sum(tf.cast(tf.mul(x, 3), "int32"), axis, keepDims),
          ...tf.grads((x: tf.Tensor) =>
            tf.add(tf.sum(tf.square(tf.sum(x, axis, keepDims))), tf.sum(tf.square(tf.mean(x, axis, keepDims))))
          )([x]),
          tf.grad((x: tf.Tensor) => tf.sum(tf.max(x, axis, keepDims)))(x),
        ];
        if (typeof axis === "number") outs.push(tf.argMax(x, axis), tf.argMin(x, axis));
        return outs;
      }, rng);
      assert.ok(d.maxRel <= TOL, `axis ${axis} keepDims ${keepDims}: ${d.where}`);
    }
  }
});

Deno.test("torch layout kernels (reshape, transpose, concat, slice, split, pad, tile, reverse, gather, stack) match cpu, with gradients", async () => {
  const rng = new Rng("torch-layout");
  const d = await compareTorch([[2, 3, 4], [2, 3, 2], [5]], ([x, y, v]) => {
    const f = (x: tf.Tensor, y: tf.Tensor) => {
      const c = tf.concat([x, y], 2);
      const t = tf.transpose(c, [2, 0, 1]);
      const s = tf.slice(t, [1, 0, 1], [3, 2, 2]);
      const [p, q] = tf.split(s, [1, 2], 0);
      const padded = tf.pad(tf.reshape(q, [2, 2, 2]), [[0, 1], [1, 0], [0, 2]], 0.5);
      const tiled = tf.tile(p, [2, 1, 3]);
      const g = tf.gather(x, tf.tensor1d([2, 0, 2], "int32"), 2);
      const st = tf.stack([tf.reverse(x, [1, 2]), x], 1);
      return [padded, tiled, g, st, tf.unstack(x, 1)[2], tf.expandDims(v, 1), tf.squeeze(tf.reshape(v, [1, 5, 1]))];
    };
    const outs = f(x, y);
    const [gx, gy] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.addN(f(x, y).map((o, i) => tf.mul(tf.sum(tf.square(o)), i + 1)))
    )([x, y]);
    const ranges = [tf.range(0, 7), tf.range(2, -3, -0.5), tf.range(1, 10, 4, "int32"), tf.range(3, 3)];
    return [...outs, gx, gy, tf.fill([2, 3], 1.5), tf.concat([x, tf.zeros([0, 3, 4])], 0), ...ranges];
  }, rng);
  assert.ok(d.maxRel <= TOL, d.where);
});
