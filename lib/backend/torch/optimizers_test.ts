import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { TOL } from "../testing.ts";
import { profileKernels } from "../profile.ts";
import { compareTorch, requireTorch } from "./testing.ts";
import { TORCH_BACKEND } from "./register.ts";
import { applyDecayedGradients } from "./optimizers.ts";
import { addScaled } from "../add_scaled.ts";

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

/** A variable with data of its own: one made from a live tensor shares its data, and the fused path then leaves it to
 * tfjs's own update. */
function own(t: tf.Tensor): tf.Variable {
  const copy = tf.mul(t, 1), v = tf.variable(copy);
  copy.dispose();
  return v;
}

/** Four updates by `update` of a small conv net's variables with each optimizer, on cpu and on torch
 * (compareTorch): the weights and optimizer state agree within the kernel tests' tolerance. */
async function fourUpdates(
  seed: string,
  update: (opt: tf.Optimizer, loss: () => tf.Scalar, w: tf.Variable, b: tf.Variable, name: string) => void,
): Promise<void> {
  const rng = new Rng(seed);
  for (const [name, make] of optimizers) {
    // 135 kernel values: the one-pass momentum update's vector loop and its scalar tail.
    const d = await compareTorch([[2, 6, 6, 3], [3, 3, 3, 5], [5]], ([x, w0, b0]) => {
      const w = own(w0), b = own(b0);
      const loss = () =>
        tf.sum(tf.square(tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"), b)))) as tf.Scalar;
      const opt = make();
      for (let i = 0; i < 4; i++) update(opt, loss, w, b, name);
      const out = [w, b, ...state(opt)].map((v) => tf.add(v, 0));
      opt.dispose();
      tf.dispose([w, b]);
      return out;
    }, rng);
    assert.ok(d.maxRel <= TOL, `${name}: ${d.where}`);
  }
}

Deno.test("fused Adam/SGD/Momentum updates on torch give the same weights and optimizer state as tfjs on cpu", async () => {
  await fourUpdates("torch-optim", (opt, loss) => tf.dispose(opt.minimize(loss, true)!));
});

Deno.test("weight decay folded into the fused updates gives tfjs's weights and state from decayed gradients", async () => {
  await fourUpdates("torch-optim-decay", (opt, loss, w, b, name) => {
    const { value, grads } = tf.variableGrads(loss, [w, b]);
    const list = [{ name: w.name, tensor: grads[w.name] }, { name: b.name, tensor: grads[b.name] }];
    const fused = applyDecayedGradients(opt, list, [2, 0]);
    assert.equal(fused, tf.getBackend() === TORCH_BACKEND, `${name}: the fused update runs on torch only`);
    if (!fused) {
      const [gw] = addScaled([grads[w.name]], [w], 2);
      opt.applyGradients([{ name: w.name, tensor: gw }, list[1]]);
      gw.dispose();
    }
    tf.dispose([value, grads]);
  });
  assert.throws(() => applyDecayedGradients(tf.train.sgd(1), [], [0]), /1 decays, 0 gradients/);
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
