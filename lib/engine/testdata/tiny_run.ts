/**
 * A real, tiny training run used by loop_test.ts's kill-and-resume test: trains the fixture model
 * on the fixture patterns, checkpointing in the given folder, prints `batch <epoch> <batch>` after
 * every step and the final history as JSON on the last line.
 *
 * @example
 * ```sh
 * deno run -A lib/engine/testdata/tiny_run.ts /tmp/run 4 [--resume]
 * ```
 * @module
 */
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { trainPreset } from "../config.ts";
import { train } from "../loop.ts";
import { flipAugment, lbp3x3, patternDataset, tinyModel } from "./fixtures.ts";

if (import.meta.main) {
  const [runDir, epochs] = Deno.args;
  await tf.setBackend("cpu");
  const ds = patternDataset({ n: 90, size: 16, seed: 7 });
  const fm = tinyModel({ size: 16, numClasses: 3, lbp: true, seed: 11 });
  const idx = ds.samples.map((_, i) => i);
  const r = await train({
    model: fm,
    dataset: ds,
    trainIndices: idx.filter((i) => i % 5 !== 0),
    valIndices: idx.filter((i) => i % 5 === 0),
    config: trainPreset("default", { epochs: Number(epochs), batchSize: 8, lr: 0.01 }),
    lbp: lbp3x3,
    augment: flipAugment,
    runDir,
    resume: Deno.args.includes("--resume"),
    onBatch: ({ epoch, batch }) => console.log(`batch ${epoch} ${batch}`),
  });
  console.log(JSON.stringify({ resumedFrom: r.resumedFrom, history: r.history }));
}
