import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { Rng } from "../../../util/rng.ts";
import { TOL } from "../../testing.ts";
import { profileKernels } from "../../profile.ts";
import { compareTorch, requireTorch } from "../testing.ts";
import { TORCH_BACKEND } from "../register.ts";
import { BN_MOVING } from "./norm.ts";

Deno.test("torch FusedBatchNorm (given statistics) matches cpu, forward and gradients, ranks 2 and 4", async () => {
  const rng = new Rng("torch-bn");
  for (const shape of [[4, 5, 6, 3], [7, 3]]) {
    const d = await compareTorch([shape, [3], [3], [3], [3]], ([x, m, v, off, sc]) => {
      const f = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, off: tf.Tensor, sc: tf.Tensor) =>
        tf.batchNorm(x, m, tf.add(tf.abs(v), 0.1), off, sc, 1e-3);
      return [
        f(x, m, v, off, sc),
        ...tf.grads((x, m, v, o, s) => tf.sum(tf.square(f(x, m, v, o, s))))([x, m, v, off, sc]),
      ];
    }, rng);
    assert.ok(d.maxRel <= TOL, `[${shape}]: ${d.where}`);
  }
});

Deno.test("BatchNormalization layer training on torch (one ATen call each way) matches tfjs's moments path on cpu", async () => {
  const rng = new Rng("torch-bn-layer");
  const prof = profileKernels("torch");
  for (const shape of [[6, 5, 4, 3], [9, 3]]) {
    const d = await compareTorch([shape, shape], ([x, w]) => {
      const layer = tfl.layers.batchNormalization({ axis: -1, momentum: 0.9 });
      layer.build(x.shape);
      layer.setWeights([tf.tensor([1.5, 0.5, 1]), tf.tensor([0.1, -0.2, 0.3]), tf.zeros([3]), tf.ones([3])]);
      const apply = (x: tf.Tensor) => layer.apply(x, { training: true }) as tf.Tensor;
      const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(apply(x), w)) as tf.Scalar, vars);
      const gx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(apply(x), w)))(x);
      const stats = layer.getWeights().slice(2);
      const infer = layer.apply(x, { training: false }) as tf.Tensor;
      return [value, gx, ...Object.values(grads), ...stats, infer];
    }, rng);
    assert.ok(d.maxRel <= TOL, `[${shape}]: ${d.where}`);
  }
  const calls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
  prof.restore();
  assert.ok(
    (calls.get("TorchBatchNormTrain") ?? 0) > 0 && (calls.get("TorchBatchNormGrad") ?? 0) > 0 &&
      (calls.get("TorchBatchNormMoving") ?? 0) > 0,
    "fused path used",
  );
  assert.equal(calls.get("SquaredDifference"), undefined, "no tf.moments on torch while training");
});

Deno.test("torch's one-call moving-average update gives tfjs-layers' m − (m − b)·decay on torch, bit for bit", async () => {
  await requireTorch();
  const before = tf.getBackend();
  await tf.setBackend(TORCH_BACKEND);
  try {
    const rng = new Rng("torch-bn-moving");
    const t = () => tf.tensor1d(Array.from({ length: 37 }, () => rng.normal()));
    const [mm, mv, mean, variance] = [t(), tf.abs(t()), t(), tf.abs(t())];
    const decay = 1 - 0.99; // tfjs-layers' 1 − momentum, a double that float32 rounds
    const [m1, v1] = tf.engine().runKernel(BN_MOVING, { movingMean: mm, movingVariance: mv, mean, variance }, {
      decay,
    }) as tf.Tensor[];
    const layers = (m: tf.Tensor, b: tf.Tensor) => tf.sub(m, tf.mul(tf.sub(m, b), decay));
    assert.deepEqual(m1.dataSync(), layers(mm, mean).dataSync());
    assert.deepEqual(v1.dataSync(), layers(mv, variance).dataSync());
    assert.notDeepEqual(m1.dataSync(), mm.dataSync(), "it moved");
  } finally {
    await tf.setBackend(before);
  }
});
