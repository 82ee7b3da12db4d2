/**
 * `deno task gpu-check`: brings up a GPU backend (`--backend webgpu`, the default: Deno's WebGPU with
 * tfjs-backend-webgpu; or `--backend torch`: libtorch on CUDA, at each `--precisions` entry) and, at each size, times
 * (1) training steps of the paper model and (2) the issue-7 reference net (bench/ref_net.ts), with
 * PyTorch training the same reference net on CUDA in the same run when it can (bench/torch_ref.py
 * `--device cuda`), so the GPU speed is a ratio measured on one machine. Random inputs: this
 * measures the engine. Then, for each `--learn PACK` (a dataset pack from `fer data pack`), it trains the
 * paper model for `--learn-epochs` epochs (fewer if `--learn-budget` seconds run out) and scores
 * held-out subjects, to show that the model learns on that backend (tools/gpu_learn.ts; each run's
 * record goes under `--learn-runs`, default gpu-check-runs/). Prints progress on stderr and one JSON
 * line on stdout. Exits 3
 * with a clear message when there is no hardware adapter (a software one such as llvmpipe is refused
 * unless `--allow-software`).
 *
 * It imports only the model, backend, engine and experiment modules it needs, by file rather than
 * through their folders' mod.ts (which also re-export image decoders, polars and canvas: native addons
 * that cannot load offline), so `deno task gpu-pack` bundles it into one JavaScript file that runs
 * offline with nothing but the deno binary (tools/gpu_device.sh runs it there).
 *
 * @example
 * ```sh
 * deno task gpu-check                                   # 48 and 256, paper width, + PyTorch CUDA
 * deno task fer data pack --dataset ckplus --size 48 --out build/ckplus48.ferpack
 * deno task gpu-check --learn build/ckplus48.ferpack --learn-epochs 12 --learn-width 0.5
 * deno task gpu-check --sizes 48 --steps 2 --width 0.125 --allow-software --no-torch   # smoke test anywhere
 * deno task gpu-check --backend torch --precisions fp32,tf32,bf16   # libtorch on CUDA, PyTorch at each precision
 * deno task gpu-check --backend torch --device cpu --precisions fp32,bf16 --sizes 48 --steps 2   # dry run on a CPU
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { type BackendChoice, describeAdapter, gpuAdapter, selectBackend } from "../lib/backend/select.ts";
import { type Precision, setTorchPrecision } from "../lib/backend/torch/mod.ts";
import { preset } from "../lib/model/presets.ts";
import { buildModel } from "../lib/model/build.ts";
import { referenceNet } from "../bench/ref_net.ts";
import { Progress } from "../lib/util/progress.ts";
import { learnOnPack, type LearnResult } from "./gpu_learn.ts";
import { scriptArgs, usageError } from "./args.ts";

/** One measured configuration. */
export interface GpuCheckRow {
  /** `paper` (the paper model at `width`) or `reference` (bench/ref_net.ts). */
  net: "paper" | "reference";
  /** Compute precision of convs and matmuls (the torch backend's; WebGPU is fp32). */
  precision?: Precision;
  size: number;
  batch: number;
  steps: number;
  /** Seconds of the first (compile/warm-up) step, not counted in img_per_s. */
  warmup_s: number;
  img_per_s: number;
  final_loss: number;
}

/** Options of {@link timeTraining}. */
export interface TimeTrainingOptions {
  net: "paper" | "reference";
  size: number;
  batch: number;
  steps: number;
  /** Channel-width multiplier of the paper model (1 = the paper's VGG-16 widths). */
  width: number;
}

function buildNet(o: TimeTrainingOptions): { model: tfl.LayersModel; inputs: number } {
  if (o.net === "reference") return { model: referenceNet({ size: o.size, channels: 1, classes: 7 }), inputs: 1 };
  const cfg = preset("paper", { inputSize: o.size, width: o.width, numClasses: 7 });
  return { model: buildModel(cfg).model, inputs: cfg.lbp === "none" ? 1 : 2 };
}

/**
 * Trains `steps` Adam steps of one net at `size` on the current backend and times them; each step
 * reads its loss back (asynchronously: WebGPU has no synchronous read under Deno), so the GPU queue
 * is drained inside the timed region.
 *
 * @example
 * ```ts
 * const row = await timeTraining({ net: "paper", size: 48, batch: 32, steps: 20, width: 1 });
 * ```
 */
export async function timeTraining(o: TimeTrainingOptions): Promise<GpuCheckRow> {
  const { model, inputs: nIn } = buildNet(o);
  const opt = tf.train.adam(1e-4);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const shape: [number, number, number, number] = [o.batch, o.size, o.size, 1];
  const inputs = Array.from({ length: nIn }, (_, i) => tf.randomUniform(shape, 0, 1, "float32", i + 1));
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: o.batch }, (_, i) => i % 7), "int32"), 7);
  const step = async () => {
    const cost = opt.minimize(
      () => {
        const p = model.apply(inputs, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(labels, tf.log(tf.clipByValue(p, 1e-7, 1))) as tf.Scalar;
      },
      true,
      vars,
    )!;
    const v = (await cost.data())[0];
    cost.dispose();
    return v;
  };
  const prog = new Progress({ label: `${o.net} ${o.size}×${o.size} b${o.batch}`, total: o.steps + 1, unit: "step" });
  let t = performance.now();
  await step();
  prog.tick(1);
  const warm = (performance.now() - t) / 1000;
  t = performance.now();
  let loss = NaN;
  for (let i = 0; i < o.steps; i++) {
    loss = await step();
    prog.tick(1);
  }
  const sec = (performance.now() - t) / 1000;
  prog.done();
  tf.dispose([...inputs, labels]);
  opt.dispose();
  model.dispose();
  return {
    net: o.net,
    size: o.size,
    batch: o.batch,
    steps: o.steps,
    warmup_s: warm,
    img_per_s: (o.steps * o.batch) / sec,
    final_loss: loss,
  };
}

/** What bench/torch_ref.py printed, or why it did not run. */
export type TorchResult = { train_img_s: number; device: string; engine: string } | { error: string };

/** Runs bench/torch_ref.py (`script`) on `device` (default CUDA) for the reference net at one size and batch. */
export async function torchReference(
  o: {
    python: string;
    script: string;
    size: number;
    batch: number;
    steps: number;
    device?: string;
    precision?: string;
  },
): Promise<TorchResult> {
  const { script } = o;
  try {
    const out = await new Deno.Command(o.python, {
      args: [
        ...[script, "--device", o.device ?? "cuda", "--precision", o.precision ?? "fp32"],
        ...["--size", `${o.size}`, "--batch", `${o.batch}`, "--steps", `${o.steps}`],
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (out.code !== 0) return { error: `${script}: ${new TextDecoder().decode(out.stderr).trim().slice(-400)}` };
    return JSON.parse(text.split("\n").pop()!);
  } catch (e) {
    return { error: `${o.python} ${script}: ${e instanceof Error ? e.message : e}` };
  }
}

if (import.meta.main) {
  const command = "deno task gpu-check";
  const { values: v } = scriptArgs(Deno.args, {
    command,
    summary: "Training steps/s of the paper model and the reference net on a GPU backend, against PyTorch on CUDA " +
      "in the same run; then, per --learn pack, whether the paper model learns there. One JSON line on stdout.",
    options: {
      sizes: { type: "string", default: "48,256", help: "input sizes in pixels, comma list (empty: learning only)" },
      steps: { type: "number", default: 20, min: 1, integer: true, help: "timed training steps per measurement" },
      batch: { type: "number", default: 32, min: 1, integer: true, help: "batch size below 128 px" },
      "batch-256": { type: "number", default: 8, min: 1, integer: true, help: "batch size from 128 px on" },
      width: { type: "number", default: 1, min: 0.01, max: 4, help: "the paper model's width multiplier" },
      "allow-software": { type: "boolean", help: "time a software WebGPU adapter (llvmpipe) too" },
      "no-torch": { type: "boolean", help: "no PyTorch reference" },
      python: { type: "string", default: "python3", help: "the interpreter of the PyTorch reference" },
      "torch-script": { type: "string", default: "bench/torch_ref.py", help: "the reference script, from the root" },
      learn: { type: "string", multiple: true, help: "a dataset pack (`fer data pack`) to learn on" },
      "learn-epochs": { type: "number", default: 10, min: 1, integer: true, help: "epochs per --learn pack" },
      "learn-width": { type: "number", default: 0.5, min: 0.01, max: 4, help: "the learning model's width multiplier" },
      "learn-budget": { type: "number", min: 1, help: "seconds per --learn pack; fewer epochs when they run out" },
      "learn-runs": { type: "string", default: "gpu-check-runs", help: "the folder of the learning runs' records" },
      backend: { type: "string", default: "webgpu", help: "webgpu (Deno's WebGPU) or torch (libtorch)" },
      device: { type: "string", default: "cuda", help: "the torch backend's device" },
      precisions: { type: "string", default: "fp32,tf32,bf16", help: "the torch backend's precisions, comma list" },
    },
  });
  const torch = v.backend === "torch";
  if (!torch && v.backend !== "webgpu") usageError(command, `--backend must be webgpu or torch, got "${v.backend}"`);
  const { choice, where } = torch ? await useTorch(v.device) : await useWebgpu(Boolean(v["allow-software"]));
  console.error(`gpu-check: ${choice.backend} on ${where}`);
  const precisions = (torch ? v.precisions.split(",").filter(Boolean) : ["fp32"]) as Precision[];
  const steps = v.steps, width = v.width;
  const rows: (GpuCheckRow & { pytorch_img_per_s?: number; ratio?: number; pytorch_error?: string })[] = [];
  let torchDevice: string | undefined;
  for (const size of v.sizes.split(",").filter(Boolean).map(Number)) { // --sizes "": learning only
    const batch = size >= 128 ? v["batch-256"] : v.batch;
    for (const precision of precisions) {
      if (torch) setTorchPrecision(precision);
      rows.push({ ...await timeTraining({ net: "paper", size, batch, steps, width }), precision });
      console.error(`gpu-check: ${JSON.stringify(rows.at(-1))}`);
      const ref: (typeof rows)[number] = {
        ...await timeTraining({ net: "reference", size, batch, steps, width: 1 }),
        precision,
      };
      if (!v["no-torch"]) {
        const device = torch ? v.device : "cuda";
        const t = await torchReference({
          python: v.python,
          script: v["torch-script"],
          size,
          batch,
          steps,
          device,
          precision,
        });
        if ("error" in t) ref.pytorch_error = t.error;
        else {
          torchDevice = `${t.engine} on ${t.device}`;
          ref.pytorch_img_per_s = t.train_img_s;
          ref.ratio = ref.img_per_s / t.train_img_s;
        }
      }
      rows.push(ref);
      console.error(`gpu-check: ${JSON.stringify(ref)}`);
    }
  }
  if (torch) setTorchPrecision("fp32");
  const learn: LearnResult[] = [];
  for (const pack of v.learn) {
    learn.push(
      await learnOnPack({
        pack,
        width: v["learn-width"],
        epochs: v["learn-epochs"],
        budgetSeconds: v["learn-budget"],
        runsDir: v["learn-runs"],
        backend: choice.backend,
      }),
    );
    console.error(`gpu-check: ${JSON.stringify(learn.at(-1))}`);
  }
  console.log(JSON.stringify({
    backend: choice.backend,
    ...(torch ? { torch: choice.reason } : { adapter: where }),
    pytorch: torchDevice ?? null,
    width,
    results: rows,
    learn,
  }));
}

/** The torch backend on `device` (cuda: exits 3 when torch sees no GPU). */
async function useTorch(device: string): Promise<{ choice: BackendChoice; where: string }> {
  try {
    const choice = await selectBackend("torch", { device });
    return { choice, where: choice.label ?? choice.reason };
  } catch (e) {
    console.error(`gpu-check: the torch backend did not start on ${device}: ${(e as Error).message}; nothing was run.`);
    Deno.exit(3);
  }
}

/** The WebGPU backend on a hardware adapter (exits 3 without one, unless software is allowed). */
async function useWebgpu(allowSoftware: boolean): Promise<{ choice: BackendChoice; where: string }> {
  const adapter = await gpuAdapter();
  if (!adapter) {
    console.error(
      "gpu-check: no WebGPU adapter (navigator.gpu gave none). Needs a GPU with a Vulkan driver; nothing was run.",
    );
    Deno.exit(3);
  }
  if (adapter.info.isFallbackAdapter && !allowSoftware) {
    console.error(
      `gpu-check: only a software adapter (${describeAdapter(adapter)}); pass --allow-software to time it anyway.`,
    );
    Deno.exit(3);
  }
  return { choice: await selectBackend("webgpu"), where: describeAdapter(adapter) };
}
