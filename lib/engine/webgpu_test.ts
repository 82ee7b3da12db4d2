import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { gpuAdapter, selectBackend } from "../backend/select.ts";
import { trainPreset } from "./config.ts";
import { train } from "./loop.ts";
import { predictImages } from "./predict.ts";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { lbp3x3, patternDataset } from "./testdata/fixtures.ts";

Deno.env.set("FER_PROGRESS", "silent");

// The GPU path on the software Vulkan driver (Debian's mesa-vulkan-drivers, installed by tools/setup.ts):
// the paper model, atrous convolutions and the real training loop give the cpu backend's numbers.
Deno.test("the paper model trains on WebGPU as on cpu: same losses, same predictions", async () => {
  const adapter = await gpuAdapter();
  assert.ok(adapter, "no WebGPU adapter: install mesa-vulkan-drivers (deno task setup does)");
  const ds = patternDataset({ n: 24, size: 24, seed: 5 });
  const idx = ds.samples.map((_, i) => i);
  const cfg = preset("cpu-tiny", { inputSize: 24, numClasses: 3, lbp: "circle", dropout: 0 });
  const config = trainPreset("default", { epochs: 2, batchSize: 8, lr: 1e-3, augment: false, seed: 2 });
  let init: Float32Array[] | null = null;
  const runOn = async (backend: "cpu" | "webgpu") => {
    await selectBackend(backend, { quiet: true });
    const fm = buildModel(cfg);
    if (init) fm.model.setWeights(fm.model.weights.map((w, i) => tf.tensor(init![i], w.shape as number[])));
    else init = await Promise.all(fm.model.weights.map(async (w) => (await w.read().data()) as Float32Array));
    const r = await train({
      model: fm,
      dataset: ds,
      trainIndices: idx.slice(0, 16),
      valIndices: idx.slice(16),
      config,
      lbp: lbp3x3,
    });
    const probs = await predictImages(fm, await Promise.all(idx.slice(16).map((i) => ds.load(ds.samples[i]))), {
      lbp: lbp3x3,
    });
    fm.model.dispose();
    return { losses: r.history.flatMap((h) => [h.loss, h.val_loss]), probs };
  };
  const cpu = await runOn("cpu");
  const gpu = await runOn("webgpu");
  assert.equal(tf.getBackend(), "webgpu");
  for (const [i, l] of cpu.losses.entries()) {
    assert.ok(Math.abs(gpu.losses[i] - l) < 1e-3 * Math.max(1, l), `loss ${i}: webgpu ${gpu.losses[i]} vs cpu ${l}`);
  }
  for (const [i, p] of cpu.probs.entries()) assert.ok(Math.abs(gpu.probs[i] - p) < 1e-3, `prob ${i}`);
  await selectBackend("cpu", { quiet: true });
});
