import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { Rng } from "../../util/rng.ts";
import { profileKernels } from "../profile.ts";
import { requireTorch } from "./testing.ts";
import { TORCH_BACKEND } from "./register.ts";

/** Two bias-free convolutions (the second strided), as the networks stack them before BatchNormalization. */
function net(rng: Rng): tfl.LayersModel {
  const x = tfl.input({ shape: [9, 9, 2] });
  const a = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: "same", useBias: false }).apply(x);
  const b = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "valid", useBias: false })
    .apply(a) as tfl.SymbolicTensor;
  const m = tfl.model({ inputs: x, outputs: b });
  m.setWeights(m.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => rng.normal()), w.shape)));
  return m;
}

/** The layers' kernels, convolved through tf.fused.conv2d as tfjs-layers does unpatched. */
function fused(m: tfl.LayersModel, x: tf.Tensor4D): tf.Tensor {
  const [k1, k2] = m.trainableWeights.map((w) => w.read() as tf.Tensor4D);
  const a = tf.fused.conv2d({ x, filter: k1, strides: 1, pad: "same" });
  return tf.fused.conv2d({ x: a, filter: k2, strides: 2, pad: "valid" });
}

const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, tf.sin(y))) as tf.Scalar;

Deno.test("torch Conv2D layers without bias train with the fused op's bits and no input gradient for the first", async () => {
  await requireTorch();
  const before = tf.getBackend() ?? "cpu";
  await tf.setBackend(TORCH_BACKEND);
  try {
    const rng = new Rng("torch-conv-layer");
    const m = net(rng);
    const x = tf.tensor4d(Array.from({ length: 3 * 9 * 9 * 2 }, () => rng.normal()), [3, 9, 9, 2]);
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const prof = profileKernels(TORCH_BACKEND);
    const ours = tf.variableGrads(() => loss(m.apply(x, { training: true }) as tf.Tensor), vars);
    const calls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
    prof.restore();
    assert.equal(calls.get("Conv2DBackpropInput"), 1, "dx of the second convolution only");
    assert.equal(calls.get("Conv2DBackpropFilter"), 2);
    assert.equal(calls.get("FusedConv2D"), undefined, "the plain op while the tape records");
    const ref = tf.variableGrads(() => loss(fused(m, x)), vars);
    assert.deepEqual(ours.value.dataSync(), ref.value.dataSync());
    for (const v of vars) assert.deepEqual(ours.grads[v.name].dataSync(), ref.grads[v.name].dataSync(), v.name);

    const [gx, gxRef] = [(x: tf.Tensor) => m.apply(x) as tf.Tensor, (x: tf.Tensor) => fused(m, x as tf.Tensor4D)]
      .map((f) => tf.grad((x: tf.Tensor) => loss(f(x)))(x));
    assert.deepEqual(gx.dataSync(), gxRef.dataSync(), "an input gradient that is asked for is still there");
    assert.ok(tf.sum(tf.abs(gx)).dataSync()[0] > 0);

    const predict = profileKernels(TORCH_BACKEND);
    const y = m.predict(x) as tf.Tensor;
    assert.equal(
      new Map(predict.report().map((r) => [r.kernel, r.calls])).get("FusedConv2D"),
      2,
      "inference unchanged",
    );
    predict.restore();
    assert.deepEqual(y.dataSync(), fused(m, x).dataSync());
  } finally {
    await tf.setBackend(before);
  }
});

Deno.test("torch Conv2D layers with a bias keep tfjs-layers' fused op", async () => {
  await requireTorch();
  const before = tf.getBackend() ?? "cpu";
  await tf.setBackend(TORCH_BACKEND);
  try {
    const layer = tfl.layers.conv2d({ filters: 2, kernelSize: 1, useBias: true, biasInitializer: "ones" });
    const x = tf.ones([1, 3, 3, 2]);
    layer.build(x.shape);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const prof = profileKernels(TORCH_BACKEND);
    tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, vars);
    const calls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
    prof.restore();
    assert.equal(calls.get("FusedConv2D"), 1);
    assert.equal(calls.get("Conv2D"), undefined);
  } finally {
    await tf.setBackend(before);
  }
});
