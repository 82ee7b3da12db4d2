import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { datasetDir } from "../data/paths.ts";
import { needsDataset } from "../data/fixtures.ts";
import type { Dataset } from "../data/dataset.ts";
import { loadDataset } from "../data/load.ts";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { selectBackend } from "../backend/select.ts";
import { requireTorch } from "../backend/torch/testing.ts";
import { trainPreset } from "./config.ts";
import type { EpochMetrics } from "./epoch.ts";
import { train } from "./loop.ts";
import { lbpFor, paperAugment } from "./inputs.ts";

/**
 * Trains a fresh, seeded paper model for 2 epochs on the given samples; returns the history.
 * The learning rate is 2e-5 (the paper's is 1e-6): at 1e-3 a few Adam steps on 24 pictures amplify
 * float rounding chaotically (torch alone, 1 thread against 2, differs by 5e-3 after 3 steps; the
 * LBP images' flat regions make near-ties in the max-pools, whose gradient routing rounding then
 * decides), and the comparison would measure that instead of the kernels. At 1e-4, cpu-small on
 * CK+ still drifts by 2.4e-3 in epoch 2.
 */
async function twoEpochs(backend: string, ds: Dataset, presetName: string, idx: number[]): Promise<EpochMetrics[]> {
  await tf.setBackend(backend);
  const cfg = preset(presetName, { numClasses: ds.classes.length, seed: 5 });
  const fm = buildModel(cfg);
  const r = await train({
    model: fm,
    dataset: ds,
    trainIndices: idx.filter((_, i) => i % 4 !== 0),
    valIndices: idx.filter((_, i) => i % 4 === 0),
    config: trainPreset("default", { epochs: 2, batchSize: 8, seed: 3, lr: 2e-5 }),
    lbp: lbpFor(cfg),
    augment: paperAugment(),
  });
  fm.model.dispose();
  return r.history;
}

/** Per-epoch train and validation losses on torch match tfjs's cpu backend within 1e-3 (fp32). */
async function assertSameLosses(ds: Dataset, presetName: string, idx: number[]): Promise<void> {
  await requireTorch();
  await selectBackend("cpu", { quiet: true }); // tfjs's reference kernels (with the faster filter gradient)
  const ref = await twoEpochs("cpu", ds, presetName, idx);
  const got = await twoEpochs("torch", ds, presetName, idx);
  for (const [e, m] of ref.entries()) {
    for (const key of ["loss", "val_loss"] as const) {
      assert.ok(
        Math.abs(got[e][key] - m[key]) <= 1e-3,
        `${presetName} epoch ${e + 1} ${key}: torch ${got[e][key]} vs cpu ${m[key]}`,
      );
    }
  }
}

Deno.test("paper model (cpu-tiny: LBP, attention, atrous) trains 2 epochs on synthetic faces on torch with tfjs cpu's losses", async () => {
  const ds = await loadDataset({ dataset: "synthetic", n: 32, size: 48, seed: 2 });
  await assertSameLosses(ds, "cpu-tiny", ds.samples.map((_, i) => i));
});

for (const presetName of ["cpu-tiny", "cpu-small"]) {
  Deno.test({
    ...needsDataset(
      "ckplus48",
      `paper model ${presetName} trains 2 epochs on a CK+48 subset on torch with tfjs cpu's per-epoch losses (1e-3)`,
    ),
    async fn() {
      const ds = await loadDataset({ dataset: "ckplus", root: datasetDir("ckplus48")! });
      // 32 pictures spread over the subjects (every 30th of the 981).
      const idx = ds.samples.map((_, i) => i).filter((i) => i % 30 === 0).slice(0, 32);
      await assertSameLosses(ds, presetName, idx);
    },
  });
}
