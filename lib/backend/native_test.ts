import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { Rng } from "../util/rng.ts";
import { NATIVE_BACKEND, nativeKernelNames, registerNativeBackend } from "./native.ts";
import { compareBackends, requireNative, TOL } from "./testing.ts";

function tinyNet(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", inputShape: [9, 9, 1] }));
  m.add(tfl.layers.batchNormalization({ axis: -1 }));
  m.add(tfl.layers.activation({ activation: "relu" }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 3, activation: "softmax" }));
  m.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  return m;
}

Deno.test("registerNativeBackend registers fer-native with the native kernels, and is idempotent", async () => {
  const r = await registerNativeBackend();
  assert.equal(r.ok, true, r.reason);
  assert.equal(r.backend, NATIVE_BACKEND);
  assert.deepEqual(await registerNativeBackend(), r);
  const expected = [
    ...["Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPool", "MaxPoolGrad"],
    ...["BatchMatMul", "_FusedMatMul", "Add", "Sub", "Multiply", "RealDiv", "Relu", "Step", "Sum", "Mean"],
    ...["Tile", "FusedBatchNorm", "FerReluGrad", "FerSquareGrad", "FerBroadcastMul", "FerBatchNormGrad"],
    ...["SpaceToBatchND", "BatchToSpaceND", "SplitV", "Concat"],
  ];
  for (const k of expected) {
    assert.ok(nativeKernelNames().includes(k), k);
  }
  // Every cpu kernel is available on fer-native too.
  const cpu = tf.getKernelsForBackend("cpu").map((k) => k.kernelName);
  const native = new Set(tf.getKernelsForBackend(NATIVE_BACKEND).map((k) => k.kernelName));
  assert.deepEqual(cpu.filter((k) => !native.has(k)), []);
});

Deno.test("model.fit with Adam on fer-native: same weights as on cpu after 3 steps, no tensor leak", async () => {
  await requireNative();
  const rng = new Rng("fit");
  const xs = Float32Array.from({ length: 6 * 81 }, () => rng.normal());
  const ys = Float32Array.from({ length: 6 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
  const weights: Float32Array[][] = [];
  const counts: number[] = [];
  for (const backend of ["cpu", NATIVE_BACKEND]) {
    await tf.setBackend(backend);
    const model = tinyNet();
    // Same initial weights on both backends.
    const init = model.getWeights().map((w, i) =>
      tf.tensor(Float32Array.from({ length: w.size }, (_, j) => Math.sin(i * 7 + j) * 0.3), w.shape)
    );
    model.setWeights(init);
    tf.dispose(init);
    const x = tf.tensor4d(xs, [6, 9, 9, 1]), y = tf.tensor2d(ys, [6, 3]);
    await model.fit(x, y, { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    counts.push(tf.memory().numTensors - before);
    weights.push(model.getWeights().map((w) => Float32Array.from(w.dataSync())));
    tf.dispose([x, y]);
    model.dispose();
  }
  assert.deepEqual(counts, [0, 0], "tensor count must stay flat across training steps");
  weights[0].forEach((ref, i) => {
    const scale = Math.max(1, ...ref.map(Math.abs));
    ref.forEach((v, j) =>
      assert.ok(Math.abs(weights[1][i][j] - v) <= 1e-3 * scale, `weight ${i}[${j}]: ${weights[1][i][j]} vs ${v}`)
    );
  });
});

Deno.test("optimizer.minimize and tf.variableGrads work on fer-native and match cpu", async () => {
  const rng = new Rng("minimize");
  const d = await compareBackends([[2, 6, 6, 3], [3, 3, 3, 5]], ([x, w0]) => {
    const w = tf.variable(w0);
    const loss = () =>
      tf.sum(tf.square(tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same")))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, [w]);
    const g = grads[w.name];
    const opt = tf.train.adam(0.01);
    for (let i = 0; i < 3; i++) opt.minimize(loss);
    const out = [value, g, w.clone()];
    opt.dispose();
    w.dispose();
    return out;
  }, rng);
  assert.ok(d.maxRel <= TOL * 10, d.where);
});
