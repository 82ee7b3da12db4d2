import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../util/rng.ts";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { TORCH_BACKEND } from "../backend/torch/register.ts";
import { requireTorch } from "../backend/torch/testing.ts";

interface TorchMemory extends tf.MemoryInfo {
  numTorchTensors: number;
  numBytesInTorch: number;
}

Deno.test("300 training steps of the paper model on torch: tensor count and allocated bytes stay flat", async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  const size = 16, n = 4, rng = new Rng("torch-memory");
  const fm = buildModel(preset("cpu-tiny", { numClasses: 7, inputSize: size, seed: 1 }));
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(1e-3);
  const seen: TorchMemory[] = [];
  for (let step = 1; step <= 300; step++) {
    const x = tf.tensor4d(Float32Array.from({ length: n * size * size }, () => rng.next()), [n, size, size, 1]);
    const l = tf.tensor4d(Float32Array.from({ length: n * size * size }, () => rng.next()), [n, size, size, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3, 5, 6], "int32"), 7));
    const cost = opt.minimize(
      () => {
        const p = fm.model.apply([x, l], { training: true }) as tf.Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))) as tf.Scalar;
      },
      true,
      vars,
    )!;
    assert.ok(Number.isFinite((await cost.data())[0]));
    tf.dispose([x, l, y, cost]);
    if (step === 10 || step === 300) seen.push(tf.memory() as TorchMemory);
  }
  const [early, late] = seen;
  assert.equal(late.numTensors, early.numTensors, "tfjs tensors");
  assert.equal(late.numBytes, early.numBytes, "tfjs bytes");
  assert.equal(late.numTorchTensors, early.numTorchTensors, "libtorch tensors");
  assert.equal(late.numBytesInTorch, early.numBytesInTorch, "libtorch bytes");
  opt.dispose();
  fm.model.dispose();
});
