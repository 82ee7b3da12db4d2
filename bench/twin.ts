/**
 * Our network against its PyTorch twin, like with like, for `deno task bench train --net …`: for each model
 * preset and input size, the training step of lib/engine/ (trainStep: forward, the `cpu` recipe's loss, weight
 * decay on the kernels, SGD Nesterov) and softmax inference, on the torch backend and in PyTorch
 * (bench/twin_speed.py: bench/twin_net.py with the same initial weights, loaded from our saved model, and
 * bench/twin_train.py), interleaved per round (twin, torch, twin bf16, torch bf16, …) so that load from other
 * processes hits all alike. Each torch row has its ratios to the twin at the same precision and the tfjs kernel
 * calls of one training step (every kernel the engine dispatches to the backend, nested ones included), and each
 * round's ratio with their median (robust to a slow spell of a shared host in one round). With
 * `unfused`, the same rounds also time our fp32 step with conv, BatchNormalization and ReLU apart (`torch_unfused`). With
 * `profile`, the fp32 row also holds where a step's time goes on each side: the torch backend's kernels (ms and
 * calls of one step) beside the twin's ATen ops (torch.profiler's self time per step).
 *
 * @example
 * ```ts
 * const rows = await benchTwin({ nets: ["cpu-tiny-gated"], sizes: [48], batch: 32, steps: 3, warmup: 5, threads: 2,
 *   rounds: 2, precisions: ["fp32", "bf16"], device: "cpu", python: "/usr/bin/python3" });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import {
  type KernelTime,
  type Precision,
  profileKernels,
  setTorchFusion,
  setTorchPrecision,
  TORCH_BACKEND,
} from "../lib/backend/mod.ts";
import { makeOptimizer, trainPreset, trainStep } from "../lib/engine/mod.ts";
import { buildModel, type FerModel, preset, saveModel } from "../lib/model/mod.ts";
import { Progress } from "../lib/util/mod.ts";

/** Options of {@link benchTwin}; the torch backend must be registered. */
export interface TwinBenchOptions {
  /** Model presets (lib/model/presets.ts), each timed at every size. */
  nets: string[];
  sizes: number[];
  batch: number;
  steps: number;
  /** Untimed steps before each measurement, both sides. */
  warmup: number;
  threads: number;
  rounds: number;
  precisions: Precision[];
  device: string;
  /** The interpreter whose torch runs the twin. */
  python: string;
  /** Extra environment of the twin's process: the allocator setting the torch backend runs with. */
  env?: Record<string, string>;
  /** Also profile one fp32 training step per side in the last round (see the module doc). */
  profile?: boolean;
  /** Also time the torch backend in fp32 with conv, BatchNormalization and ReLU in calls of their own (setTorchFusion). */
  unfused?: boolean;
}

/** How PyTorch's processes allocate: "keep" (glibc keeps freed memory, see {@link pytorchMallocEnv}) or "glibc"
 * (glibc's defaults, as PyTorch runs when installed). */
export type PytorchMalloc = "keep" | "glibc";
/** The values of `--pytorch-malloc`. */
export const PYTORCH_MALLOC: readonly PytorchMalloc[] = ["keep", "glibc"];

/**
 * The environment of PyTorch's processes. "keep": they keep their freed CPU memory, the nearest PyTorch has to the
 * torch backend's cache (lib/backend/torch/memory.ts): glibc takes blocks under 32 MiB from its heap and trims the
 * heap only beyond 1 GiB free. Without it, on a 2-core AMD EPYC VM, the twin's step ran at about half the speed
 * (faulting its activations in again each step). "glibc": nothing added. The user's own glibc malloc variables are
 * left as they are either way.
 *
 * @example
 * ```ts
 * pytorchMallocEnv("keep", {}); // { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824" }
 * ```
 */
export function pytorchMallocEnv(
  mode: PytorchMalloc,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Record<string, string> {
  const tunables = env.GLIBC_TUNABLES ?? "";
  const user = Object.keys(env).some((k) => k.startsWith("MALLOC_") && env[k]) || tunables.includes("glibc.malloc.");
  if (user || mode === "glibc") return {};
  const keep = `glibc.malloc.mmap_threshold=${32 << 20}:glibc.malloc.trim_threshold=${1 << 30}`;
  return { GLIBC_TUNABLES: tunables ? `${tunables}:${keep}` : keep };
}

/** The train recipe both sides step with. */
const RECIPE = trainPreset("cpu");

interface Timing {
  train_img_s: number;
  infer_img_s: number;
}

interface TwinOut extends Timing {
  engine: string;
  device: string;
  memory_format: string;
  /** With --profile: the twin's ATen ops, self ms and calls per step. */
  profile?: { op: string; ms: number; calls: number }[];
}

/** Our side of one measurement: speeds, kernel calls of a step and that step's kernels (largest first). */
export interface OursOut extends Timing {
  calls: number;
  kernels: KernelTime[];
}

async function twinSpeed(o: TwinBenchOptions, dir: string, precision: Precision, profile: boolean): Promise<TwinOut> {
  const script = new URL("./twin_speed.py", import.meta.url).pathname;
  const args = [script, "--model", dir, "--recipe", JSON.stringify(RECIPE), "--batch", `${o.batch}`];
  args.push("--steps", `${o.steps}`, "--warmup", `${o.warmup}`, "--threads", `${o.threads}`, "--device", o.device);
  args.push("--precision", precision);
  if (profile) args.push("--profile");
  const out = await new Deno.Command(o.python, { args, env: o.env, stdout: "piped", stderr: "piped" }).output();
  if (out.code !== 0) throw new Error(`twin_speed.py failed: ${new TextDecoder().decode(out.stderr).slice(-800)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

/**
 * Training and inference speed of `fm` on the current backend (the twin's recipe, random inputs), and the kernel
 * calls of one training step.
 *
 * @example
 * ```ts
 * const s = await torchSpeed(buildModel(preset("cpu-tiny-gated")), { batch: 32, steps: 10, warmup: 5 }, "fp32");
 * ```
 */
export async function torchSpeed(
  fm: FerModel,
  o: { batch: number; steps: number; warmup: number },
  label: string,
): Promise<OursOut> {
  const s = fm.config.inputSize, k = fm.config.numClasses;
  const inputs = fm.model.inputs.map((i) => tf.randomUniform([o.batch, s, s, i.shape[3]!]));
  const labels = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.randomUniform([o.batch], 0, k, "int32"), k), "float32")
  ) as tf.Tensor2D;
  const classWeights = tf.ones([k]) as tf.Tensor1D;
  const optimizer = makeOptimizer(RECIPE);
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = async () => {
    const { cost, nCorrect } = trainStep({ model: fm, inputs, labels, optimizer, vars, classWeights, config: RECIPE });
    await cost.data();
    tf.dispose([cost, nCorrect]);
  };
  // primitive creation, first allocations, the optimiser's slots, V8's JIT (the twin takes as many)
  for (let i = 0; i < o.warmup; i++) await step();
  const prog = new Progress({ label: `${label} train`, total: o.steps, unit: "step" });
  const t0 = performance.now();
  for (let i = 0; i < o.steps; i++) (await step(), prog.tick(1));
  const trainMs = (performance.now() - t0) / o.steps;
  prog.done();
  // the profiled step after the timed ones: its kernels' re-registration is not timed
  const prof = profileKernels(TORCH_BACKEND);
  await step();
  prof.restore();
  const kernels = prof.report();
  const calls = kernels.reduce((n, r) => n + r.calls, 0);
  tf.tidy(() => (fm.model.predict(inputs) as tf.Tensor).dataSync());
  const t1 = performance.now();
  for (let i = 0; i < o.steps; i++) tf.tidy(() => (fm.model.predict(inputs) as tf.Tensor).dataSync());
  const inferMs = (performance.now() - t1) / o.steps;
  tf.dispose([...inputs, labels, classWeights]);
  optimizer.dispose();
  return { train_img_s: o.batch * 1000 / trainMs, infer_img_s: o.batch * 1000 / inferMs, calls, kernels };
}

const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (v: number) => Math.round(v * 1000) / 1000;
const key = (side: string, p: Precision) => p === "fp32" ? side : `${side}_${p}`;

/** One row per net and size: twin and torch speeds per precision, ratios torch / twin, kernel calls per step. */
export async function benchTwin(o: TwinBenchOptions): Promise<Record<string, unknown>[]> {
  await tf.setBackend(TORCH_BACKEND);
  const rows: Record<string, unknown>[] = [];
  const precisions = [...new Set<Precision>(["fp32", ...o.precisions])];
  for (const net of o.nets) {
    for (const size of o.sizes) {
      const fm = buildModel(preset(net, { inputSize: size }));
      const dir = await Deno.makeTempDir({ prefix: "fer_twin_" });
      const twin = new Map<Precision, TwinOut[]>(), ours = new Map<Precision, OursOut[]>(), unfused: OursOut[] = [];
      try {
        await saveModel(fm, join(dir, "model"));
        for (let r = 0; r < o.rounds; r++) {
          for (const p of precisions) {
            const profile = o.profile === true && p === "fp32" && r === o.rounds - 1;
            twin.set(p, [...twin.get(p) ?? [], await twinSpeed(o, join(dir, "model"), p, profile)]);
            setTorchPrecision(p);
            ours.set(p, [...ours.get(p) ?? [], await torchSpeed(fm, o, `torch ${p} ${net} ${size}px`)]);
            if (o.unfused && p === "fp32") {
              setTorchFusion(false);
              unfused.push(await torchSpeed(fm, o, `torch fp32 unfused ${net} ${size}px`));
              setTorchFusion(true);
            }
          }
          setTorchPrecision("fp32");
        }
      } finally {
        setTorchPrecision("fp32");
        fm.model.dispose();
        await Deno.remove(dir, { recursive: true });
      }
      const row: Record<string, unknown> = { net, size, batch: o.batch, recipe: "cpu (SGD Nesterov, wd 5e-4)" };
      for (const [p, outs] of twin) {
        row[key("twin", p)] = {
          engine: outs[0].engine,
          device: outs[0].device,
          memory_format: outs[0].memory_format,
          threads: o.threads,
          train_img_s: mean(outs.map((q) => q.train_img_s)),
          infer_img_s: mean(outs.map((q) => q.infer_img_s)),
          rounds: outs.map((q) => round(q.train_img_s)),
        };
      }
      const fp32 = row.twin as Timing;
      for (const [p, outs] of ours) {
        const t = row[key("twin", p)] as Timing;
        const f = {
          train_img_s: mean(outs.map((q) => q.train_img_s)),
          infer_img_s: mean(outs.map((q) => q.infer_img_s)),
        };
        row[key("torch", p)] = {
          ...f,
          ratio_train: round(f.train_img_s / t.train_img_s),
          ratio_infer: round(f.infer_img_s / t.infer_img_s),
          ...(p === "fp32" ? {} : { ratio_train_vs_twin_fp32: round(f.train_img_s / fp32.train_img_s) }),
          kernel_calls_per_step: outs[0].calls,
          rounds: outs.map((q) => round(q.train_img_s)),
          // each round's pair (twin, then ours, a few seconds apart): a slow spell of a shared host lands in one
          ratio_train_rounds: outs.map((q, r) => round(q.train_img_s / twin.get(p)![r].train_img_s)),
          ratio_train_median: round(median(outs.map((q, r) => q.train_img_s / twin.get(p)![r].train_img_s))),
        };
      }
      if (unfused.length) {
        const train = mean(unfused.map((q) => q.train_img_s)), t = row.twin as Timing;
        row.torch_unfused = {
          train_img_s: train,
          infer_img_s: mean(unfused.map((q) => q.infer_img_s)),
          ratio_train: round(train / t.train_img_s),
          fused_over_unfused: round((row.torch as Timing).train_img_s / train),
          kernel_calls_per_step: unfused[0].calls,
          rounds: unfused.map((q) => round(q.train_img_s)),
        };
      }
      if (o.profile) {
        const top = 16, ms = (v: number) => Math.round(v * 1000) / 1000;
        row.profile_ms_per_step = {
          torch: ours.get("fp32")!.at(-1)!.kernels.slice(0, top).map((k) => ({ ...k, ms: ms(k.ms) })),
          twin: twin.get("fp32")!.at(-1)!.profile,
        };
      }
      const main = row.torch as { ratio_train: number; ratio_infer: number };
      row.ratio_train = main.ratio_train;
      row.ratio_infer = main.ratio_infer;
      rows.push(row);
    }
  }
  return rows;
}
