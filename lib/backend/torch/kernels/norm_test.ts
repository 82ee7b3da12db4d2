import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { Rng } from "../../../util/rng.ts";
import { TOL } from "../../testing.ts";
import { profileKernels } from "../../profile.ts";
import {
  compareTorch,
  onTorch,
  profiledTrainingGrads,
  randomWeights,
  requireTorch,
  worstDeviation,
} from "../testing.ts";
import { setTorchPrecision, TORCH_BACKEND, torchRuntime } from "../register.ts";
import { setTorchFusion } from "../layers.ts";
import { BN_TRAIN } from "./norm.ts";

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
    (calls.get("TorchBatchNormTrain") ?? 0) > 0 && (calls.get("TorchBatchNormGrad") ?? 0) > 0,
    "fused path used",
  );
  assert.equal(calls.get("SquaredDifference"), undefined, "no tf.moments on torch while training");
});

Deno.test("torch's batch-norm training call updates the moving averages as tfjs-layers' m − (m − b)·decay, bit for bit", async () => {
  await requireTorch();
  const before = tf.getBackend();
  await tf.setBackend(TORCH_BACKEND);
  try {
    const rng = new Rng("torch-bn-moving");
    const t = () => tf.tensor1d(Array.from({ length: 37 }, () => rng.normal()));
    const x = tf.tensor2d(Array.from({ length: 9 * 37 }, () => rng.normal()), [9, 37]);
    const [mm, mv, scale, offset] = [t(), tf.abs(t()), t(), t()];
    const decay = 1 - 0.99; // tfjs-layers' 1 − momentum, a double that float32 rounds
    const [, mean, variance, , m1, v1] = tf.engine().runKernel(
      BN_TRAIN,
      { x, scale, offset, movingMean: mm, movingVariance: mv },
      { varianceEpsilon: 1e-3, decay },
    ) as tf.Tensor[];
    const layers = (m: tf.Tensor, b: tf.Tensor) => tf.sub(m, tf.mul(tf.sub(m, b), decay));
    assert.deepEqual(m1.dataSync(), layers(mm, mean).dataSync());
    assert.deepEqual(v1.dataSync(), layers(mv, variance).dataSync());
    assert.notDeepEqual(m1.dataSync(), mm.dataSync(), "it moved");
    const alone = tf.engine().runKernel(BN_TRAIN, { x, scale, offset }, { varianceEpsilon: 1e-3 }) as tf.Tensor[];
    assert.equal(alone.length, 4, "without moving statistics, the batch's own four");
  } finally {
    await tf.setBackend(before);
  }
});

/** conv → BN → ReLU four times (blocks, the first on the model's input; a 2×2 max pool after the first, third and
 * fourth, the last on an odd height: 20 → 10, 10 → 5, 5 → 2), a BN → ReLU after no convolution, then a BN read by two
 * layers (not fused), as the networks stack them. */
function blocks(rng: Rng): tfl.LayersModel {
  const x = tfl.input({ shape: [20, 20, 2] });
  let h = x as tfl.SymbolicTensor;
  // 11 channels: one vector of 8 and 3 alone in the fused batch norm's loops; then 16: two vectors
  for (const [filters, pool] of [[11, true], [16, false], [16, true], [16, true]] as const) {
    h = tfl.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
    if (pool) h = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(h) as tfl.SymbolicTensor;
  }
  h = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  const shared = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
  const both = tfl.layers.add().apply([tfl.layers.reLU().apply(shared) as tfl.SymbolicTensor, shared]);
  return randomWeights(tfl.model({ inputs: x, outputs: both as tfl.SymbolicTensor }), rng);
}

Deno.test("conv → BN → ReLU blocks, and BN read by one ReLU, run in one call each way on torch: the unfused results", async () => {
  await requireTorch();
  const before = tf.getBackend();
  const precision = torchRuntime()!.precision;
  await tf.setBackend(TORCH_BACKEND);
  try {
    const step = (fused: boolean) => {
      setTorchFusion(fused);
      const rng = new Rng("torch-bn-relu");
      const m = blocks(rng);
      // 6,400 rows of pixels, 1,600 pooled: more than one thread's share of the fused batch norm's rows and windows
      const x = tf.tensor4d(Array.from({ length: 16 * 20 * 20 * 2 }, () => rng.normal()), [16, 20, 20, 2]);
      const w = tf.tensor4d(Array.from({ length: 16 * 2 * 2 * 16 }, () => rng.normal()), [16, 2, 2, 16]);
      const { loss, grads, calls } = profiledTrainingGrads(m, x, w);
      const prof = profileKernels(TORCH_BACKEND);
      const infer = Array.from((m.predict(x) as tf.Tensor).dataSync());
      const inferCalls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
      prof.restore();
      const out = {
        loss,
        grads,
        stats: m.getWeights().map((t) => Array.from(t.dataSync())),
        infer,
        inferCalls,
        // an inference pass that records a gradient (a saliency map's) runs the layers
        inferGrad: Array.from(
          tf.grad((x: tf.Tensor) => tf.sum(tf.mul(m.apply(x, { training: false }) as tf.Tensor, w)))(x).dataSync(),
        ),
        // through the first block, whose gradient kernel leaves dx out (its input is the model's)
        inputGrad: Array.from(
          tf.grad((x: tf.Tensor) => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, w)))(x).dataSync(),
        ),
        calls,
      };
      m.dispose();
      return out;
    };
    // Fused, batch norm and ReLU take two passes each way of their own (fp32 on a CPU with AVX2 and FMA; ATen's
    // calls elsewhere): the same results as the layers apart within the kernel tests' tolerance.
    const near = (a: typeof fused, b: typeof fused, tol: number) => {
      for (const k of ["loss", "infer", "inputGrad", "inferGrad"] as const) {
        const d = worstDeviation([a[k]], [b[k]]);
        assert.ok(d.rel <= tol, `${k}: ${d.rel} at ${d.where}`);
      }
      for (const k of ["grads", "stats"] as const) {
        const d = worstDeviation(a[k], b[k]);
        assert.ok(d.rel <= tol, `${k}: ${d.rel} at ${d.where}`);
      }
    };
    const [fused, apart] = [step(true), step(false)];
    near(fused, apart, TOL);
    assert.ok(fused.inputGrad.some((v) => v !== 0));
    const kernels = (c: Map<string, number>) =>
      ["TorchConvBnReluTrain", "TorchConvBnReluGrad", "Conv2D", "TorchBatchNormReluTrain", "TorchBatchNormTrain"]
        .map((k) => c.get(k));
    assert.deepEqual(kernels(fused.calls), [4, 4, undefined, 1, 1]);
    const pools = (c: Map<string, number>) => ["MaxPool", "MaxPoolGrad"].map((k) => c.get(k));
    assert.deepEqual(pools(fused.calls), [1, 1], "the pool on an odd height runs apart, the others in their blocks");
    assert.deepEqual(pools(apart.calls), [3, 3]);
    const inference = (c: Map<string, number>) =>
      ["TorchConvBnReluInfer", "FusedConv2D", "FusedBatchNorm", "Relu", "MaxPool"].map((k) => c.get(k));
    assert.deepEqual(inference(fused.inferCalls), [4, undefined, 2, 2, 3], "the blocks in one call each");
    assert.deepEqual(inference(apart.inferCalls), [undefined, 4, 6, 6, 3]);
    assert.deepEqual(kernels(apart.calls), [undefined, undefined, 4, undefined, 6]);
    assert.equal(fused.calls.get("Conv2DBackpropInput"), undefined, "no dx for the model's input, none apart");
    assert.deepEqual(
      [fused.calls.get("Relu"), fused.calls.get("TorchReluGrad")],
      [1, 1],
      "only the shared BN's reader",
    );
    assert.deepEqual([apart.calls.get("Relu"), apart.calls.get("TorchReluGrad")], [6, 6]);

    // bf16 convolutions (converted in and out per call): a difference in the last float bit can round a bf16
    // input the other way, one part in 256, and four blocks deep that grows to about 1.5% (measured: the same with
    // the pools apart)
    setTorchPrecision("bf16");
    const [fused16, apart16] = [step(true), step(false)];
    near(fused16, apart16, 2e-2);
    assert.deepEqual(pools(fused16.calls), [1, 1], "pooled in the blocks in bf16 too");
    assert.notDeepEqual(fused16.grads, fused.grads, "bf16 ran");
  } finally {
    setTorchFusion(true);
    setTorchPrecision(precision);
    await tf.setBackend(before);
  }
});

Deno.test("a block updates its moving statistics in place, and a clone of them keeps the values it had", async () => {
  await onTorch(() => {
    const rng = new Rng("torch-block-moving");
    const m = blocks(rng);
    const x = tf.tensor4d(Array.from({ length: 2 * 20 * 20 * 2 }, () => rng.normal()), [2, 20, 20, 2]);
    const bn = m.layers.find((l) => l.getClassName() === "BatchNormalization")!;
    const mean = bn.weights.find((w) => w.name.includes("moving_mean"))!.read();
    const id = mean.dataId, was = Array.from(mean.dataSync());
    const clone = tf.clone(mean); // shares the data: the block gives the variable data of its own first
    tf.dispose(tf.tidy(() => m.apply(x, { training: true }) as tf.Tensor));
    assert.deepEqual(Array.from(clone.dataSync()), was, "the clone is as it was");
    assert.notDeepEqual(Array.from(mean.dataSync()), was, "the moving mean moved");
    const id2 = mean.dataId, moved = Array.from(mean.dataSync());
    assert.notEqual(id2, id, "new data of its own, as the clone shared the old");
    const numTensors = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => m.apply(x, { training: true }) as tf.Tensor));
    assert.equal(mean.dataId, id2, "then updated where it is");
    assert.notDeepEqual(Array.from(mean.dataSync()), moved);
    assert.equal(tf.memory().numTensors, numTensors, "no tensors left behind");
    tf.dispose([x, clone]);
    m.dispose();
  });
});

Deno.test("in training a block's batch norm, ReLU and max pool return the block's output itself, once", async () => {
  await onTorch(() => {
    const m = blocks(new Rng("torch-block-pass-on"));
    const [conv, bn, relu, pool] = m.layers.slice(1, 5) as tfl.layers.Layer[];
    const x = tf.ones([2, 20, 20, 2]);
    const training = { training: true };
    tf.tidy(() => {
      const y = conv.apply(x, training) as tf.Tensor;
      assert.deepEqual(y.shape, [2, 10, 10, 11], "pooled in the block's call");
      const b = bn.apply(y, training) as tf.Tensor, r = relu.apply(b, training) as tf.Tensor;
      const p = pool.apply(r, training) as tf.Tensor;
      assert.ok(b === y && r === y && p === y, "the block's output itself, no alias");
      assert.deepEqual((pool.apply(p, training) as tf.Tensor).shape, [2, 5, 5, 11], "read again, the pool runs");
      const z = bn.apply(r, training) as tf.Tensor;
      assert.notEqual(z, y, "read again, the batch norm runs (the mark is spent)");
      const yi = conv.apply(x, { training: false }) as tf.Tensor;
      const bi = bn.apply(yi, { training: false }) as tf.Tensor;
      assert.ok(bi !== yi && bi.dataId === yi.dataId, "in inference an alias: the same data, another tensor");
    });
    x.dispose();
    m.dispose();
  });
});
