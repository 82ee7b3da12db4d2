import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { trainPreset } from "./config.ts";
import { trainAugment } from "./inputs.ts";
import { train } from "./loop.ts";
import { patternDataset, tinyModel } from "./testdata/fixtures.ts";

Deno.env.set("FER_PROGRESS", "silent");
await tf.setBackend("cpu");

const ds = patternDataset({ n: 90, size: 16, seed: 7 });
const idx = ds.samples.map((_, i) => i);
const trainIdx = idx.filter((i) => i % 5 !== 0), valIdx = idx.filter((i) => i % 5 === 0);

Deno.test("Nesterov SGD with weight decay, label smoothing and step decay learns; decay shrinks the kernels", async () => {
  const run = async (weightDecay: number) => {
    const fm = tinyModel({ size: 16, numClasses: 3, lbp: false, seed: 3 });
    const r = await train({
      model: fm,
      dataset: ds,
      trainIndices: trainIdx,
      valIndices: valIdx,
      config: trainPreset("sgd", {
        epochs: 5,
        batchSize: 8,
        lr: 0.05,
        nesterov: true,
        weightDecay,
        labelSmoothing: 0.1,
        schedule: { kind: "step", milestones: [3], factor: 0.1 },
        earlyStopping: { monitor: "val_accuracy", patience: 0 },
        augment: false,
      }),
    });
    const kernels = fm.model.trainableWeights.map((w) => w.read()).filter((v) => v.rank >= 2);
    const norm = kernels.reduce((s, v) => s + tf.sum(tf.square(v)).dataSync()[0], 0);
    return { r, norm };
  };
  const plain = await run(0), decayed = await run(0.05);
  assert.deepEqual(decayed.r.history.map((h) => +h.lr.toPrecision(6)), [0.05, 0.05, 0.05, 0.005, 0.005]);
  assert.ok(
    decayed.r.history[4].loss < decayed.r.history[0].loss,
    `loss fell: ${decayed.r.history.map((h) => h.loss)}`,
  );
  assert.ok(Math.max(...decayed.r.history.map((h) => h.val_accuracy)) > 0.6);
  assert.ok(decayed.norm < 0.9 * plain.norm, `Σ‖W‖² with decay ${decayed.norm} vs without ${plain.norm}`);
});

Deno.test("a crop without the affine warp still augments: the training history differs from no augmentation", async () => {
  const run = async (crop?: { fraction: number; flip: boolean }) => {
    const cfg = trainPreset("default", { epochs: 1, batchSize: 8, augment: false, ...(crop ? { crop } : {}) });
    const r = await train({
      model: tinyModel({ size: 16, numClasses: 3, lbp: false, seed: 3 }),
      dataset: ds,
      trainIndices: trainIdx,
      valIndices: valIdx,
      config: cfg,
      augment: trainAugment(cfg),
    });
    return r.history[0].loss;
  };
  // Seeded weights, batches and crops on tfjs's cpu backend: the first epoch's loss with crops and without, pinned.
  const [cropped, plain] = [await run({ fraction: 0.75, flip: true }), await run()];
  assert.ok(Math.abs(cropped - 1.1483004358) < 1e-9, `loss with crops ${cropped}`);
  assert.ok(Math.abs(plain - 1.0736812088) < 1e-9, `loss without ${plain}`);
});
