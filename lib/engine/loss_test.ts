import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-layers"; // registers the gradients the penalty needs
import { profileKernels, setTorchFusion, TORCH_BACKEND } from "../backend/mod.ts";
import { requireTorch, TOL } from "../backend/torch/testing.ts";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { Rng } from "../util/rng.ts";
import {
  applyDecayedUpdate,
  classWeightVector,
  correctCount,
  decayedWeights,
  decayGradients,
  weightedCrossEntropy,
} from "./loss.ts";

await tf.setBackend("cpu");

Deno.test("balanced class weights are n / (k · count)", () => {
  assert.deepEqual(classWeightVector("balanced", [0, 0, 0, 1], 2), [4 / 6, 2]);
  assert.deepEqual(classWeightVector("none", [0, 1], 2), [1, 1]);
  assert.throws(() => classWeightVector([1], [0, 1], 2), /1 entries, the dataset has 2/);
});

Deno.test("weighted cross-entropy is Σ w_y · −log p_y / n, and the correct count is the arg-max hits", () => {
  const pred = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), labels = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
  const w = tf.tensor1d([1, 3, 1]);
  const loss = weightedCrossEntropy(pred, labels, w).dataSync()[0];
  assert.ok(Math.abs(loss - (-Math.log(0.7) - 3 * Math.log(0.3)) / 2) < 1e-6, `${loss}`);
  assert.equal(correctCount(pred, labels).dataSync()[0], 1);
  tf.dispose([pred, labels, w]);
});

Deno.test("label smoothing ε puts (1 − ε) + ε/k on the true class and ε/k on the others", () => {
  const pred = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), labels = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
  const eps = 0.3, k = 3, ones = tf.tensor1d([1, 1, 1]);
  const got = weightedCrossEntropy(pred, labels, ones, eps).dataSync()[0];
  const row = (p: number[], y: number) =>
    -p.reduce((s, q, c) => s + ((c === y ? 1 - eps : 0) + eps / k) * Math.log(q), 0);
  assert.ok(Math.abs(got - (row([0.7, 0.2, 0.1], 0) + row([0.1, 0.3, 0.6], 1)) / 2) < 1e-6, `${got}`);
  tf.dispose([pred, labels, ones]);
});

Deno.test("weight decay applies to kernels only and adds wd·W to their gradients, disposing the old ones", () => {
  const kernel = tf.variable(tf.tensor2d([[1, -2], [3, 0]])), bias = tf.variable(tf.tensor1d([5, 5]));
  const decayed = decayedWeights([kernel, bias]);
  assert.deepEqual(decayed, [kernel], "rank-1 biases and BatchNorm parameters are not decayed");
  const old = tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]);
  const grads: tf.NamedTensorMap = { [kernel.name]: old, [bias.name]: tf.tensor1d([1, 1]) };
  decayGradients(grads, decayed, 0.1);
  assert.deepEqual(Array.from(grads[kernel.name].dataSync()).map((g) => +g.toFixed(6)), [0.6, 0.3, 0.8, 0.5]);
  assert.equal(old.isDisposed, true);
  assert.deepEqual(Array.from(grads[bias.name].dataSync()), [1, 1], "biases keep their gradient");
  decayGradients(grads, decayed, 0);
  assert.deepEqual(Array.from(grads[kernel.name].dataSync()).map((g) => +g.toFixed(6)), [0.6, 0.3, 0.8, 0.5]);
  assert.throws(() => decayGradients({}, decayed, 0.1), /no gradient for/);
  tf.dispose([kernel, bias, ...Object.values(grads)]);
});

/** Weights of the demo's network (16 px, no dropout) after three Adam steps at wd 5e-4, the decay either as
 * ½·wd·Σ‖W‖² in the loss or by decayGradients. */
async function threeSteps(
  backend: string,
  decay: "in loss" | "on gradients" | "in the update",
  makeOpt: () => tf.Optimizer = () => tf.train.adam(1e-3),
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const fm = buildModel(preset("cpu-tiny-gated", { inputSize: 16, numClasses: 3, dropout: 0, seed: 4 }));
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable), decayed = decayedWeights(vars);
  const opt = makeOpt(), rng = new Rng("decay"), wd = 5e-4;
  const cw = tf.ones([3]) as tf.Tensor1D;
  for (let step = 0; step < 3; step++) {
    const x = () => tf.tensor4d(Float32Array.from({ length: 4 * 16 * 16 }, () => rng.next()), [4, 16, 16, 1]);
    const inputs = [x(), x()], labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0], "int32"), 3) as tf.Tensor2D;
    const loss = () => weightedCrossEntropy(fm.model.apply(inputs, { training: true }) as tf.Tensor2D, labels, cw);
    if (decay === "in loss") {
      const penalty = () => tf.mul(tf.addN(decayed.map((v) => tf.sum(tf.square(v)))), wd / 2);
      tf.dispose(opt.minimize(() => tf.add(loss(), penalty()) as tf.Scalar, true, vars)!);
    } else if (decay === "in the update") {
      const { value, grads } = tf.variableGrads(loss, vars);
      applyDecayedUpdate(opt, vars, grads, wd);
      tf.dispose([value, grads]);
    } else {
      const { value, grads } = tf.variableGrads(loss, vars);
      decayGradients(grads, decayed, wd);
      opt.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      tf.dispose([value, ...Object.values(grads)]);
    }
    tf.dispose([...inputs, labels]);
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  tf.dispose([cw, ...vars]);
  opt.dispose();
  return out;
}

Deno.test("decayGradients trains to the same weights, bit for bit, as the L2 penalty in the loss (cpu and torch)", async () => {
  await requireTorch();
  for (const backend of ["cpu", "torch"]) {
    const inLoss = await threeSteps(backend, "in loss"), onGrads = await threeSteps(backend, "on gradients");
    assert.equal(onGrads.length, inLoss.length);
    for (const [i, w] of inLoss.entries()) {
      assert.deepEqual(onGrads[i], w, `${backend}: weight ${i} differs`);
    }
  }
  await tf.setBackend("cpu");
});

Deno.test("applyDecayedUpdate: decayGradients' weights, on torch within the kernels' tolerance and no decayed copies", async () => {
  await requireTorch();
  const optimizers: [string, () => tf.Optimizer][] = [
    ["adam", () => tf.train.adam(1e-3)],
    ["nesterov", () => tf.train.momentum(0.05, 0.9, true)],
  ];
  for (const [name, make] of optimizers) {
    for (const backend of ["cpu", TORCH_BACKEND]) {
      const prof = backend === TORCH_BACKEND ? profileKernels(TORCH_BACKEND) : null;
      const fused = await threeSteps(backend, "in the update", make);
      const copies = prof?.report().find((r) => r.kernel === "TorchAddScaled")?.calls ?? 0;
      prof?.restore();
      const apart = await threeSteps(backend, "on gradients", make);
      assert.equal(copies, 0, `${name} on ${backend}: the gradients were decayed apart`);
      let worst = 0;
      for (const [i, w] of apart.entries()) {
        const top = Math.max(...w.map(Math.abs));
        worst = Math.max(worst, ...w.map((x, j) => Math.abs(x - fused[i][j]) / top));
      }
      if (backend === "cpu") assert.equal(worst, 0, `${name} on cpu: decayGradients and applyGradients, bit for bit`);
      else assert.ok(worst <= TOL, `${name} on torch: ${worst}`);
    }
  }
  const v = tf.variable(tf.ones([2, 2]));
  assert.throws(() => applyDecayedUpdate(tf.train.sgd(1), [v], {}, 0.1), /no gradient for/);
  v.dispose();
  await tf.setBackend("cpu");
});

Deno.test("on torch the loss and its gradient take one call each, with the values of tfjs's ops", async () => {
  await requireTorch();
  const run = async (backend: string, fused: boolean) => {
    const rng = new Rng("fused-loss");
    await tf.setBackend(backend);
    setTorchFusion(fused);
    try {
      // softmax rows, one exactly at each clipping bound and one beyond: the gradient passes at the bounds only
      const raw = tf.tensor2d(Array.from({ length: 6 * 4 }, () => 3 * rng.normal()), [6, 4]);
      const pred = tf.tidy(() => {
        const p = tf.softmax(raw).arraySync() as number[][];
        p[0] = [1e-7, 1 - 1e-7, 0, 0];
        p[1] = [0, 1, 0, 0];
        return tf.tensor2d(p);
      });
      const labels = tf.cast(tf.oneHot(tf.tensor1d([1, 0, 3, 2, 1, 1], "int32"), 4), "float32") as tf.Tensor2D;
      const cw = tf.tensor1d([0.5, 2, 1, 3]);
      const pv = tf.variable(pred);
      const prof = profileKernels(TORCH_BACKEND);
      const out = [0, 0.1].map((eps) => {
        const { value, grads } = tf.variableGrads(() => weightedCrossEntropy(pv, labels, cw, eps), [pv]);
        const r = { loss: value.dataSync()[0], grad: Array.from(grads[pv.name].dataSync()) };
        tf.dispose([value, grads]);
        return r;
      });
      const calls = prof.report().reduce((n, r) => n + r.calls, 0);
      prof.restore();
      tf.dispose([raw, pred, labels, cw, pv]);
      return { out, calls };
    } finally {
      setTorchFusion(true);
    }
  };
  const cpu = await run("cpu", true), apart = await run(TORCH_BACKEND, false), fused = await run(TORCH_BACKEND, true);
  for (const [name, r] of [["torch, tfjs's ops", apart], ["torch, fused", fused]] as const) {
    for (const [i, o] of r.out.entries()) {
      assert.ok(Math.abs(o.loss - cpu.out[i].loss) <= TOL * Math.abs(cpu.out[i].loss), `${name}: loss ${i}`);
      const top = Math.max(...cpu.out[i].grad.map(Math.abs));
      o.grad.forEach((g, j) => assert.ok(Math.abs(g - cpu.out[i].grad[j]) <= TOL * top, `${name}: grad ${i}[${j}]`));
    }
  }
  assert.ok(cpu.out[0].grad.slice(4, 8).every((g) => g === 0), "row 1's prediction lies beyond the bounds");
  assert.ok(cpu.out[0].grad.slice(0, 4).some((g) => g !== 0), "row 0's lies at them");
  assert.equal(fused.calls, 4, "two calls each way for the two losses");
  assert.ok(apart.calls > 20, `tfjs's ops: ${apart.calls} calls`);
  await tf.setBackend("cpu");
});
