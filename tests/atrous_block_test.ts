/**
 * The reconstruction module's AtrousConv2D → BatchNormalization → ReLU (lib/model/atrous.ts) runs as one block call
 * each way on torch (lib/backend/torch/conv_layer.ts), with the results of its layers apart.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { profileKernels, setTorchFusion, TORCH_BACKEND } from "../lib/backend/mod.ts";
import { requireTorch, TOL } from "../lib/backend/torch/testing.ts";
import { AtrousConv2D } from "../lib/model/mod.ts";
import { Rng } from "../lib/util/rng.ts";

/** Two atrous blocks on 7×7: dilation 2 (window 5), then 4 (window 9, wider than the image). */
function atrousBlocks(rng: Rng): tfl.LayersModel {
  const x = tfl.input({ shape: [7, 7, 5] });
  let h = x as tfl.SymbolicTensor;
  for (const [filters, dilation] of [[11, 2], [6, 4]]) {
    h = new AtrousConv2D({ filters, dilation }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  }
  const m = tfl.model({ inputs: x, outputs: h });
  const positive = m.weights.map((w) => w.name.includes("moving_variance"));
  m.setWeights(
    m.getWeights().map((w, i) =>
      tf.tensor(
        Array.from({ length: w.size }, () => positive[i] ? 0.5 + Math.abs(rng.normal()) : rng.normal()),
        w.shape,
      )
    ),
  );
  return m;
}

/** The largest |a − b| over the largest |b|, over each pair of arrays. */
function deviation(a: number[][], b: number[][]): number {
  return Math.max(...a.map((row, i) => {
    const scale = Math.max(...b[i].map(Math.abs), 1e-30);
    return Math.max(...row.map((v, j) => Math.abs(v - b[i][j]) / scale));
  }));
}

Deno.test("AtrousConv2D → BN → ReLU trains in one block call each way on torch, as its layers apart", async () => {
  await requireTorch();
  const before = tf.getBackend();
  await tf.setBackend(TORCH_BACKEND);
  try {
    const run = (fused: boolean) => {
      setTorchFusion(fused);
      const rng = new Rng("torch-atrous-block");
      const m = atrousBlocks(rng);
      const x = tf.tensor4d(Array.from({ length: 6 * 7 * 7 * 5 }, () => rng.normal()), [6, 7, 7, 5]);
      const w = tf.tensor4d(Array.from({ length: 6 * 7 * 7 * 6 }, () => rng.normal()), [6, 7, 7, 6]);
      const vars = m.trainableWeights.map((v) => v.read() as tf.Variable);
      const prof = profileKernels(TORCH_BACKEND);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar,
        vars,
      );
      const calls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
      prof.restore();
      const out = {
        values: [
          Array.from(value.dataSync()),
          ...vars.map((v) => Array.from(grads[v.name].dataSync())),
          ...m.getWeights().map((t) => Array.from(t.dataSync())), // the moving statistics moved
          Array.from((m.predict(x) as tf.Tensor).dataSync()),
        ],
        calls,
      };
      tf.dispose([x, w, value, ...Object.values(grads)]);
      m.dispose();
      return out;
    };
    const [fused, apart] = [run(true), run(false)];
    const d = deviation(fused.values, apart.values);
    assert.ok(d <= TOL, `deviation ${d}`);
    const kernels = (c: Map<string, number>) =>
      ["TorchConvBnReluTrain", "TorchConvBnReluGrad", "Conv2D", "TorchBatchNormTrain"].map((k) => c.get(k));
    assert.deepEqual(kernels(fused.calls), [2, 2, undefined, undefined], "each block in one call each way");
    assert.deepEqual(kernels(apart.calls), [undefined, undefined, 2, 2]);
  } finally {
    setTorchFusion(true);
    if (before) await tf.setBackend(before);
  }
});
