/**
 * `deno task gpu-check`: brings up Deno's WebGPU with tfjs-backend-webgpu, trains the paper model
 * for a fixed number of steps at 48×48 and 256×256 (random inputs: this measures the engine, not
 * learning) and prints one JSON line with img/s. Exits 3 with a clear message when there is no
 * hardware adapter (a software one such as llvmpipe is refused unless `--allow-software`).
 *
 * Offline use: it needs the deno binary, this repository and the installed tfjs packages in
 * node_modules (tfjs-core, -layers, -backend-cpu, -backend-webgpu and their small deps: about 100 MiB
 * as npm installs them, most of it bundles and source maps the ESM build does not load).
 *
 * @example
 * ```sh
 * deno task gpu-check                                   # 48 and 256, paper width
 * deno task gpu-check --sizes 48 --steps 3 --width 0.125 --allow-software   # smoke test anywhere
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { describeAdapter, gpuAdapter, selectBackend } from "../lib/train/backend.ts";
import { buildFer, modelPreset } from "../lib/train/wiring.ts";

/** One measured configuration. */
export interface GpuCheckRow {
  size: number;
  batch: number;
  steps: number;
  /** Seconds of the first (compile/warm-up) step, not counted in img_per_s. */
  warmup_s: number;
  img_per_s: number;
  final_loss: number;
}

/** Trains `steps` optimiser steps of the paper model at `size` and times them. */
export function timeTraining(opts: { size: number; batch: number; steps: number; width: number }): GpuCheckRow {
  const cfg = modelPreset("paper", { inputSize: opts.size, width: opts.width, numClasses: 7 });
  const fm = buildFer(cfg);
  const opt = tf.train.adam(1e-4);
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const shape: [number, number, number, number] = [opts.batch, opts.size, opts.size, 1];
  const inputs = [tf.randomUniform(shape, 0, 1, "float32", 1)];
  if (cfg.lbp !== "none") inputs.push(tf.randomUniform(shape, 0, 1, "float32", 2));
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: opts.batch }, (_, i) => i % 7), "int32"), 7);
  const step = () => {
    const cost = opt.minimize(
      () => {
        const p = fm.model.apply(inputs, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(labels, tf.log(tf.clipByValue(p, 1e-7, 1))) as tf.Scalar;
      },
      true,
      vars,
    )!;
    const v = cost.dataSync()[0]; // forces the GPU queue to finish
    cost.dispose();
    return v;
  };
  let t = performance.now();
  step();
  const warm = (performance.now() - t) / 1000;
  t = performance.now();
  let loss = NaN;
  for (let i = 0; i < opts.steps; i++) loss = step();
  const sec = (performance.now() - t) / 1000;
  tf.dispose([...inputs, labels]);
  opt.dispose();
  fm.model.dispose();
  return {
    size: opts.size,
    batch: opts.batch,
    steps: opts.steps,
    warmup_s: warm,
    img_per_s: (opts.steps * opts.batch) / sec,
    final_loss: loss,
  };
}

if (import.meta.main) {
  const { values: v } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "48,256" },
      steps: { type: "string", default: "20" },
      batch: { type: "string", default: "32" },
      "batch-256": { type: "string", default: "8" },
      width: { type: "string", default: "1" },
      "allow-software": { type: "boolean" },
    },
  });
  const adapter = await gpuAdapter();
  if (!adapter) {
    console.error(
      "gpu-check: no WebGPU adapter (navigator.gpu gave none). Needs a GPU with a Vulkan driver; nothing was run.",
    );
    Deno.exit(3);
  }
  if (adapter.info.isFallbackAdapter && !v["allow-software"]) {
    console.error(
      `gpu-check: only a software adapter (${describeAdapter(adapter)}); pass --allow-software to time it anyway.`,
    );
    Deno.exit(3);
  }
  const choice = await selectBackend("webgpu");
  const results = v.sizes.split(",").map(Number).map((size) =>
    timeTraining({
      size,
      batch: Number(size >= 128 ? v["batch-256"] : v.batch),
      steps: Number(v.steps),
      width: Number(v.width),
    })
  );
  console.log(
    JSON.stringify({ backend: choice.backend, adapter: describeAdapter(adapter), width: Number(v.width), results }),
  );
}
