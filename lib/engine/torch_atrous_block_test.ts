/**
 * The reconstruction module's AtrousConv2D → BatchNormalization → ReLU (lib/model/atrous.ts) runs as one block call
 * each way on torch (lib/backend/torch/conv_layer.ts), with the results of its layers apart. Here, where lib/model and
 * the torch backend's test helpers may both be imported (and tests/torch2_test.ts runs it on current PyTorch too).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { setTorchFusion } from "../backend/mod.ts";
import { onTorch, profiledTrainingGrads, randomWeights, TOL, worstDeviation } from "../backend/torch/testing.ts";
import { AtrousConv2D } from "../model/mod.ts";
import { Rng } from "../util/mod.ts";

/** Two atrous blocks on 7×7: dilation 2 (window 5), then 4 (window 9, wider than the image). */
function atrousBlocks(rng: Rng): tfl.LayersModel {
  const x = tfl.input({ shape: [7, 7, 5] });
  let h = x as tfl.SymbolicTensor;
  for (const [filters, dilation] of [[11, 2], [6, 4]]) {
    h = new AtrousConv2D({ filters, dilation }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  }
  return randomWeights(tfl.model({ inputs: x, outputs: h }), rng);
}

Deno.test("AtrousConv2D → BN → ReLU trains in one block call each way on torch, as its layers apart", async () => {
  await onTorch(() => {
    try {
      const run = (fused: boolean) => {
        setTorchFusion(fused);
        const rng = new Rng("torch-atrous-block");
        const m = atrousBlocks(rng);
        const x = tf.tensor4d(Array.from({ length: 6 * 7 * 7 * 5 }, () => rng.normal()), [6, 7, 7, 5]);
        const w = tf.tensor4d(Array.from({ length: 6 * 7 * 7 * 6 }, () => rng.normal()), [6, 7, 7, 6]);
        const { loss, grads, calls } = profiledTrainingGrads(m, x, w);
        const out = {
          values: [
            loss,
            ...grads,
            ...m.getWeights().map((t) => Array.from(t.dataSync())), // the moving statistics moved
            Array.from((m.predict(x) as tf.Tensor).dataSync()),
          ],
          calls,
        };
        tf.dispose([x, w]);
        m.dispose();
        return out;
      };
      const [fused, apart] = [run(true), run(false)];
      const d = worstDeviation(fused.values, apart.values);
      assert.ok(d.rel <= TOL, d.where);
      const kernels = (c: Map<string, number>) =>
        ["TorchConvBnReluTrain", "TorchConvBnReluGrad", "Conv2D", "TorchBatchNormTrain"].map((k) => c.get(k));
      assert.deepEqual(kernels(fused.calls), [2, 2, undefined, undefined], "each block in one call each way");
      assert.deepEqual(kernels(apart.calls), [undefined, undefined, 2, 2]);
    } finally {
      setTorchFusion(true);
    }
  });
});
