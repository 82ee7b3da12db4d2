import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { TOL } from "../testing.ts";
import { profileKernels } from "../profile.ts";
import { compareTorch, requireTorch } from "./testing.ts";
import { TORCH_BACKEND } from "./register.ts";

/** A conv → relu → conv chain's loss: every kernel of it saves tensors for backward. */
const loss = (x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor) => () =>
  tf.sum(
    tf.square(
      tf.conv2d(tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, "same")), w2 as tf.Tensor4D, 1, "same"),
    ),
  ) as tf.Scalar;

Deno.test("saved tensors on torch: no Identity call, gradients as tfjs's on cpu, nothing leaks", async () => {
  await requireTorch();
  const d = await compareTorch([[2, 6, 6, 3], [3, 3, 3, 4], [3, 3, 4, 2]], ([x, a, b]) => {
    const w1 = tf.variable(a), w2 = tf.variable(b);
    const { value, grads } = tf.variableGrads(loss(x, w1, w2), [w1, w2]);
    const out = [value, grads[w1.name], grads[w2.name]];
    w1.dispose(), w2.dispose();
    return out;
  }, new Rng("saved-tensors"));
  assert.ok(d.maxRel <= TOL, `gradients deviate from cpu by ${d.maxRel} at ${d.where}`);

  await tf.setBackend(TORCH_BACKEND);
  const x = tf.randomNormal([2, 6, 6, 3]);
  const w1 = tf.variable(tf.randomNormal([3, 3, 3, 4])), w2 = tf.variable(tf.randomNormal([3, 3, 4, 2]));
  const before = tf.memory().numTensors;
  const prof = profileKernels(TORCH_BACKEND);
  const { value, grads } = tf.variableGrads(loss(x, w1, w2), [w1, w2]);
  prof.restore();
  const identities = prof.report().find((r) => r.kernel === "Identity")?.calls ?? 0;
  assert.equal(identities, 0, "a saved tensor went through the Identity kernel");
  tf.dispose([value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, before, "saved tensors outlived the gradient");
  tf.dispose([x, w1, w2]);
});

Deno.test("saved tensors on torch: second-order gradients keep tfjs's clones and stay right", async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  // d²/dx² of x³ is 6x
  const x = tf.tensor1d([0.5, -2, 3]);
  const g2 = tf.grad(tf.grad((v: tf.Tensor) => tf.mul(tf.mul(v, v), v)))(x);
  assert.deepEqual(Array.from(await g2.data()), [3, -12, 18]);
  tf.dispose([x, g2]);
});
