import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { TOL } from "../testing.ts";
import { profileKernels } from "../profile.ts";
import { compareTorch, requireTorch } from "./testing.ts";
import { TORCH_BACKEND } from "./register.ts";

const optimizers: [string, () => tf.Optimizer][] = [
  ["adam", () => tf.train.adam(0.05)],
  ["sgd", () => tf.train.sgd(0.05)],
  ["momentum", () => tf.train.momentum(0.05, 0.9)],
  ["nesterov", () => tf.train.momentum(0.05, 0.9, true)],
];

/** The optimizer's own state variables (moments or accumulations). */
function state(opt: tf.Optimizer): tf.Tensor[] {
  const o = opt as unknown as Record<string, { variable: tf.Variable }[] | undefined>;
  return [...o.accumulatedFirstMoment ?? [], ...o.accumulatedSecondMoment ?? [], ...o.accumulations ?? []]
    .map((s) => s.variable);
}

Deno.test("fused Adam/SGD/Momentum updates on torch give the same weights and optimizer state as tfjs on cpu", async () => {
  const rng = new Rng("torch-optim");
  for (const [name, make] of optimizers) {
    const d = await compareTorch([[2, 6, 6, 3], [3, 3, 3, 5], [5]], ([x, w0, b0]) => {
      const w = tf.variable(w0), b = tf.variable(b0);
      const loss = () =>
        tf.sum(tf.square(tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"), b)))) as tf.Scalar;
      const opt = make();
      for (let i = 0; i < 4; i++) tf.dispose(opt.minimize(loss, true)!);
      const out = [w, b, ...state(opt)].map((v) => tf.add(v, 0));
      opt.dispose();
      tf.dispose([w, b]);
      return out;
    }, rng);
    assert.ok(d.maxRel <= TOL * 10, `${name}: ${d.where}`);
  }
});

Deno.test("on torch the optimizers update in place (one fused op per variable, no per-op tensors) and spare clones", async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  for (const [name, make] of optimizers) {
    const w = tf.variable(tf.ones([4, 3])), x = tf.ones([2, 4]);
    const loss = () => tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar;
    const opt = make();
    opt.minimize(loss); // creates the optimizer's state
    const id = w.dataId, before = tf.memory().numTensors;
    const prof = profileKernels(TORCH_BACKEND);
    opt.minimize(loss);
    const calls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
    prof.restore();
    assert.equal(w.dataId, id, `${name}: same data, updated in place`);
    assert.equal(tf.memory().numTensors, before, `${name}: no tensors left behind`);
    assert.equal(calls.get("Sqrt"), undefined, `${name}: no element-wise ops of tfjs's update`);
    // A clone shares the variable's data: the step must leave it alone (tfjs's own path runs).
    const snapshot = tf.clone(w), was = Array.from(w.dataSync());
    opt.minimize(loss);
    assert.deepEqual(Array.from(snapshot.dataSync()), was, `${name}: clone unchanged`);
    assert.notDeepEqual(Array.from(w.dataSync()), was, `${name}: variable updated`);
    tf.dispose([w, x, snapshot]);
    opt.dispose();
  }
});
