/**
 * `deno task bench train`: training and inference speed of the reference VGG-style net
 * (bench/ref_net.ts) on tfjs backends against PyTorch (bench/torch_ref.py, same architecture,
 * same batch, same thread count) measured in the same run, interleaved (torch, tfjs, torch, tfjs)
 * so that load from other processes on the machine hits both alike. Prints one JSON document.
 *
 * Options: --sizes 48,96  --batch 32  --steps 3  --threads 2  --rounds 2
 *          --cpu (also time the pure-JS cpu backend: 1 step at batch 1, extrapolated, slow)
 *          --profile (per-kernel milliseconds per step on fer-native)
 *          --paper cpu-small (also time the paper model, lib/model preset, on fer-native; no PyTorch mirror)
 *
 * @example
 * ```sh
 * deno task bench train --sizes 48 --steps 3 --profile
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { parseArgs } from "node:util";
import { type KernelTime, profileKernels, registerNativeBackend } from "../lib/backend/mod.ts";
import { Progress } from "../lib/util/mod.ts";
import { buildModel, preset } from "../lib/model/mod.ts";
import type * as tfl from "@tensorflow/tfjs-layers";
import { referenceNet } from "./ref_net.ts";

/** Speed of one engine at one input size. */
export interface Speed {
  train_img_s: number;
  infer_img_s: number;
  batch: number;
  note?: string;
}

interface TorchOut extends Speed {
  engine: string;
}

async function torchRef(size: number, batch: number, steps: number, threads: number): Promise<TorchOut> {
  const script = new URL("./torch_ref.py", import.meta.url).pathname;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [script, "--size", `${size}`, "--batch", `${batch}`, "--steps", `${steps}`, "--threads", `${threads}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) throw new Error(`torch_ref.py failed: ${new TextDecoder().decode(out.stderr).slice(-800)}`);
  return JSON.parse(text.split("\n").pop()!);
}

async function tfjsSpeed(
  backend: string,
  size: number,
  batch: number,
  steps: number,
  profile: boolean,
  paperPreset?: string,
): Promise<Speed & { profile?: KernelTime[] }> {
  await tf.setBackend(backend);
  let model: tfl.LayersModel, x: tf.Tensor | tf.Tensor[];
  if (paperPreset) {
    const fm = buildModel(preset(paperPreset, { inputSize: size }));
    model = fm.model;
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    x = model.inputs.map(() => tf.randomUniform([batch, size, size, 1]));
  } else {
    model = referenceNet({ size, channels: 1, classes: 7 });
    x = tf.randomNormal([batch, size, size, 1]);
  }
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch], 0, 7, "int32"), 7), "float32"));
  await model.trainOnBatch(x, y); // warm-up: primitive creation, first allocations
  const before = tf.memory().numTensors;
  const prog = new Progress({ label: `${backend} ${size}x${size} train`, total: steps, unit: "step" });
  const prof = profile ? profileKernels(backend) : undefined;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    await model.trainOnBatch(x, y);
    prog.tick(1);
  }
  const trainMs = (performance.now() - t0) / steps;
  prog.done();
  const rows = prof?.report().slice(0, 12).map((r) => ({ ...r, ms: Math.round(r.ms / steps), calls: r.calls / steps }));
  prof?.restore();
  const leaked = tf.memory().numTensors - before;
  tf.tidy(() => model.predict(x));
  const t1 = performance.now();
  for (let i = 0; i < steps; i++) tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  const inferMs = (performance.now() - t1) / steps;
  tf.dispose([x, y].flat());
  model.dispose();
  return {
    train_img_s: batch * 1000 / trainMs,
    infer_img_s: batch * 1000 / inferMs,
    batch,
    ...(leaked !== 0 ? { note: `tensor count grew by ${leaked} over ${steps} steps` } : {}),
    ...(rows ? { profile: rows } : {}),
  };
}

const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;

/** Runs the benchmark and returns the JSON-ready result. */
export async function benchTrain(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: "string", default: "48,96" },
      batch: { type: "string", default: "32" },
      steps: { type: "string", default: "3" },
      threads: { type: "string", default: "2" },
      rounds: { type: "string", default: "2" },
      cpu: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      paper: { type: "string" },
    },
  });
  const batch = Number(values.batch), steps = Number(values.steps), threads = Number(values.threads);
  const rounds = Number(values.rounds);
  const native = await registerNativeBackend({ threads });
  const results: Record<string, unknown>[] = [];
  for (const size of values.sizes.split(",").map(Number)) {
    const torch: TorchOut[] = [], fer: (Speed & { profile?: KernelTime[] })[] = [];
    for (let r = 0; r < rounds; r++) {
      torch.push(await torchRef(size, batch, steps, threads));
      if (native.ok) fer.push(await tfjsSpeed("fer-native", size, batch, steps, values.profile && r === rounds - 1));
    }
    const t = {
      train_img_s: mean(torch.map((q) => q.train_img_s)),
      infer_img_s: mean(torch.map((q) => q.infer_img_s)),
    };
    const row: Record<string, unknown> = {
      size,
      batch,
      pytorch: { engine: torch[0].engine, threads, ...t, rounds: torch.map((q) => round(q.train_img_s)) },
    };
    if (native.ok) {
      const f = { train_img_s: mean(fer.map((q) => q.train_img_s)), infer_img_s: mean(fer.map((q) => q.infer_img_s)) };
      row["fer-native"] = { ...f, rounds: fer.map((q) => round(q.train_img_s)), note: fer.find((q) => q.note)?.note };
      row.ratio_train = round(f.train_img_s / t.train_img_s);
      row.ratio_infer = round(f.infer_img_s / t.infer_img_s);
      if (values.profile) row.profile_ms_per_step = fer[fer.length - 1].profile;
    } else {
      row["fer-native"] = { error: native.reason };
    }
    if (values.cpu) {
      const c = await tfjsSpeed("cpu", size, 1, 1, false);
      row.cpu = { ...c, note: "pure-JS cpu backend: 1 step at batch 1 (a batch-32 step takes tens of minutes)" };
    }
    if (values.paper && native.ok) {
      const p = await tfjsSpeed("fer-native", size, batch, steps, values.profile, values.paper);
      row.paper_model = { preset: values.paper, ...p };
    }
    results.push(row);
  }
  return {
    bench: "train",
    net: "ref VGG: conv3x3 64-64 / 128-128 / 256x3 (+BN+ReLU, maxpool) → dense 256 → 7, Adam",
    threads,
    machine: { cores: navigator.hardwareConcurrency, loadavg: Deno.loadavg() },
    results,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchTrain(Deno.args), null, 2));
}
