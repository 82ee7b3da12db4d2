/**
 * Our network against its PyTorch twin, like with like, for `deno task bench train --net …`: for each model
 * preset and input size, the training step of lib/engine/ (trainStep: forward, the `cpu` recipe's loss, weight
 * decay on the kernels, SGD Nesterov) and softmax inference, on the torch backend and in PyTorch
 * (bench/twin_speed.py: bench/twin_net.py with the same initial weights, loaded from our saved model, and
 * bench/twin_train.py), interleaved in short blocks: each side (the twin's process, our model's state) is warmed up
 * once and lives through all rounds, and each round times `steps` training steps of each side at each precision (the
 * twin first in even rounds, ours first in odd ones), so that a slow spell of a shared host hits both alike and
 * neither side pays a cold start inside the timing. Each torch row has its ratios to the twin at the same precision and the tfjs kernel
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

/** What the twin's process says of itself when it is ready. */
interface TwinInfo {
  engine: string;
  device: string;
  memory_format: string;
}

/** Reads a process's stdout line by line. */
function lineReader(stream: ReadableStream<Uint8Array>): () => Promise<string> {
  const reader = stream.getReader(), dec = new TextDecoder();
  let buffered = "";
  return async () => {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("twin_speed.py ended");
      buffered += dec.decode(value, { stream: true });
    }
    const i = buffered.indexOf("\n"), line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    return line;
  };
}

/** The twin's process for one precision (bench/twin_speed.py): warmed up at start, then timed on request. */
interface Twin {
  info: TwinInfo;
  /** Times n training steps: each step's milliseconds. */
  train(n: number): Promise<number[]>;
  /** Milliseconds of an inference batch, over n. */
  infer(n: number): Promise<number>;
  /** torch.profiler's ATen ops over n training steps, self ms and calls per step. */
  profile(n: number): Promise<{ op: string; ms: number; calls: number }[]>;
  close(): Promise<void>;
}

async function startTwin(o: TwinBenchOptions, dir: string, precision: Precision): Promise<Twin> {
  const script = new URL("./twin_speed.py", import.meta.url).pathname;
  const args = [script, "--model", dir, "--recipe", JSON.stringify(RECIPE), "--batch", `${o.batch}`];
  args.push("--warmup", `${o.warmup}`, "--threads", `${o.threads}`, "--device", o.device, "--precision", precision);
  const proc = new Deno.Command(o.python, { args, env: o.env, stdin: "piped", stdout: "piped", stderr: "piped" })
    .spawn();
  const stderr = proc.stderr.getReader(), dec = new TextDecoder();
  let err = "";
  (async () => {
    for (let r = await stderr.read(); !r.done; r = await stderr.read()) {
      err = (err + dec.decode(r.value, { stream: true })).slice(-2000);
    }
  })();
  const next = lineReader(proc.stdout), writer = proc.stdin.getWriter(), enc = new TextEncoder();
  const answer = async <T>(request?: string): Promise<T> => {
    try {
      if (request) await writer.write(enc.encode(`${request}\n`));
      return JSON.parse(await next()) as T;
    } catch (e) {
      throw new Error(`twin_speed.py (${precision}) failed on ${request ?? "start"}: ${(e as Error).message}\n${err}`);
    }
  };
  const info = await answer<TwinInfo>();
  return {
    info,
    train: async (n) => (await answer<{ step_ms: number[] }>(`train ${n}`)).step_ms,
    infer: async (n) => (await answer<{ infer_ms: number }>(`infer ${n}`)).infer_ms,
    profile: async (n) =>
      (await answer<{ profile: { op: string; ms: number; calls: number }[] }>(`profile ${n}`))
        .profile,
    async close() {
      await writer.close();
      await proc.status;
    },
  };
}

/** Our side at one precision (and fusion): its inputs and optimiser, warmed up at start, then timed on request. */
export interface TorchSide {
  /** Times n training steps: each step's milliseconds. */
  train(n: number): Promise<number[]>;
  /** Milliseconds of an inference batch, over n. */
  infer(n: number): number;
  /** The kernels of one training step (largest first), with their calls. */
  kernels(): Promise<KernelTime[]>;
  dispose(): void;
}

/**
 * Our side of the bench: the training step of lib/engine/ on `fm` (the twin's recipe, random inputs) and its
 * inference, on the torch backend at `precision` (fused or not: setTorchFusion), each call switching to them first.
 *
 * @example
 * ```ts
 * const side = await torchSide(buildModel(preset("cpu-tiny-gated")), { batch: 32, warmup: 5 }, "fp32");
 * const ms = await side.train(8); // eight steps' milliseconds
 * side.dispose();
 * ```
 */
export async function torchSide(
  fm: FerModel,
  o: { batch: number; warmup: number },
  precision: Precision,
  fused = true,
): Promise<TorchSide> {
  const s = fm.config.inputSize, k = fm.config.numClasses;
  const inputs = fm.model.inputs.map((i) => tf.randomUniform([o.batch, s, s, i.shape[3]!]));
  const labels = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.randomUniform([o.batch], 0, k, "int32"), k), "float32")
  ) as tf.Tensor2D;
  const classWeights = tf.ones([k]) as tf.Tensor1D;
  const optimizer = makeOptimizer(RECIPE);
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const on = () => (setTorchPrecision(precision), setTorchFusion(fused));
  const off = () => (setTorchPrecision("fp32"), setTorchFusion(true));
  const step = async () => {
    const { cost, nCorrect } = trainStep({ model: fm, inputs, labels, optimizer, vars, classWeights, config: RECIPE });
    await cost.data();
    tf.dispose([cost, nCorrect]);
  };
  const predict = () => tf.tidy(() => (fm.model.predict(inputs) as tf.Tensor).dataSync());
  on();
  // primitive creation, first allocations, the optimiser's slots, V8's JIT (the twin takes as many)
  for (let i = 0; i < o.warmup; i++) await step();
  off();
  return {
    async train(n) {
      on();
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await step();
        ms.push(performance.now() - t0);
      }
      off();
      return ms;
    },
    infer(n) {
      on();
      predict();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) predict();
      off();
      return (performance.now() - t0) / n;
    },
    async kernels() {
      on();
      const prof = profileKernels(TORCH_BACKEND);
      await step();
      prof.restore();
      off();
      return prof.report();
    },
    dispose() {
      tf.dispose([...inputs, labels, classWeights]);
      optimizer.dispose();
    },
  };
}

/**
 * Training and inference speed of `fm` on the current backend at the current precision: `warmup` untimed steps,
 * then `steps` timed, then as many inference batches.
 *
 * @example
 * ```ts
 * const s = await torchSpeed(buildModel(preset("cpu-tiny-gated")), { batch: 32, steps: 10, warmup: 5 }, "fp32");
 * ```
 */
export async function torchSpeed(
  fm: FerModel,
  o: { batch: number; steps: number; warmup: number },
  precision: Precision,
): Promise<Timing> {
  const side = await torchSide(fm, o, precision);
  const speed = await timeSide(side, o);
  side.dispose();
  return speed;
}

/** img/s of `steps` training steps of a side (the twin or ours), then of as many inference batches. */
async function timeSide(
  side: { train(n: number): Promise<number[]>; infer(n: number): number | Promise<number> },
  o: { batch: number; steps: number },
): Promise<Timing> {
  const img = (ms: number) => o.batch * 1000 / ms;
  return { train_img_s: img(mean(await side.train(o.steps))), infer_img_s: img(await side.infer(o.steps)) };
}

const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (v: number) => Math.round(v * 1000) / 1000;
const key = (side: string, p: Precision) => p === "fp32" ? side : `${side}_${p}`;

/** One row per net and size: twin and torch speeds per precision, ratios torch / twin, kernel calls per step. Each
 * side's process or state lives through all rounds (warmed up once); a round times `steps` training steps and as
 * many inference batches of each, the twin first in even rounds and ours first in odd ones. */
export async function benchTwin(o: TwinBenchOptions): Promise<Record<string, unknown>[]> {
  await tf.setBackend(TORCH_BACKEND);
  const rows: Record<string, unknown>[] = [];
  const precisions = [...new Set<Precision>(["fp32", ...o.precisions])];
  for (const net of o.nets) {
    for (const size of o.sizes) {
      const fm = buildModel(preset(net, { inputSize: size }));
      const dir = await Deno.makeTempDir({ prefix: "fer_twin_" });
      const twins = new Map<Precision, Twin>(), ours = new Map<Precision, TorchSide>();
      let unfused: TorchSide | null = null;
      // per precision, per round: [train img/s, infer img/s] of each side
      const times = { twin: new Map<Precision, Timing[]>(), ours: new Map<Precision, Timing[]>() };
      const unfusedTimes: Timing[] = [];
      let profile: Record<string, unknown> | undefined;
      try {
        await saveModel(fm, join(dir, "model"));
        for (const p of precisions) {
          twins.set(p, await startTwin(o, join(dir, "model"), p));
          ours.set(p, await torchSide(fm, o, p));
        }
        if (o.unfused) unfused = await torchSide(fm, o, "fp32", false);
        const prog = new Progress({ label: `${net} ${size}px rounds`, total: o.rounds, unit: "round" });
        for (let r = 0; r < o.rounds; r++) {
          for (const p of precisions) {
            const sides: [Map<Precision, Timing[]>, Twin | TorchSide][] = [
              [times.twin, twins.get(p)!],
              [times.ours, ours.get(p)!],
            ];
            for (const [into, side] of r % 2 === 0 ? sides : sides.reverse()) {
              into.set(p, [...into.get(p) ?? [], await timeSide(side, o)]);
            }
            if (unfused && p === "fp32") unfusedTimes.push(await timeSide(unfused, o));
          }
          prog.tick(1);
        }
        prog.done();
        const kernels = new Map<Precision, KernelTime[]>();
        for (const p of precisions) kernels.set(p, await ours.get(p)!.kernels());
        if (o.profile) {
          const top = 16, ms = (v: number) => Math.round(v * 1000) / 1000;
          profile = {
            torch: kernels.get("fp32")!.slice(0, top).map((k) => ({ ...k, ms: ms(k.ms) })),
            twin: await twins.get("fp32")!.profile(o.steps),
          };
        }
        const row: Record<string, unknown> = { net, size, batch: o.batch, recipe: "cpu (SGD Nesterov, wd 5e-4)" };
        for (const [p, outs] of times.twin) {
          const { engine, device, memory_format } = twins.get(p)!.info;
          row[key("twin", p)] = {
            engine,
            device,
            memory_format,
            threads: o.threads,
            train_img_s: mean(outs.map((q) => q.train_img_s)),
            infer_img_s: mean(outs.map((q) => q.infer_img_s)),
            rounds: outs.map((q) => round(q.train_img_s)),
          };
        }
        const fp32 = row.twin as Timing;
        for (const [p, outs] of times.ours) {
          const twin = times.twin.get(p)!, t = row[key("twin", p)] as Timing;
          const f = {
            train_img_s: mean(outs.map((q) => q.train_img_s)),
            infer_img_s: mean(outs.map((q) => q.infer_img_s)),
          };
          const calls = kernels.get(p)!.reduce((n, k) => n + k.calls, 0);
          row[key("torch", p)] = {
            ...f,
            ratio_train: round(f.train_img_s / t.train_img_s),
            ratio_infer: round(f.infer_img_s / t.infer_img_s),
            ...(p === "fp32" ? {} : { ratio_train_vs_twin_fp32: round(f.train_img_s / fp32.train_img_s) }),
            kernel_calls_per_step: calls,
            rounds: outs.map((q) => round(q.train_img_s)),
            // each round's pair (a few seconds apart): a slow spell of a shared host lands in one
            ratio_train_rounds: outs.map((q, r) => round(q.train_img_s / twin[r].train_img_s)),
            ratio_train_median: round(median(outs.map((q, r) => q.train_img_s / twin[r].train_img_s))),
          };
        }
        if (unfused) {
          const train = mean(unfusedTimes.map((q) => q.train_img_s)), t = row.twin as Timing;
          row.torch_unfused = {
            train_img_s: train,
            infer_img_s: mean(unfusedTimes.map((q) => q.infer_img_s)),
            ratio_train: round(train / t.train_img_s),
            fused_over_unfused: round((row.torch as Timing).train_img_s / train),
            kernel_calls_per_step: (await unfused.kernels()).reduce((n, k) => n + k.calls, 0),
            rounds: unfusedTimes.map((q) => round(q.train_img_s)),
          };
        }
        if (profile) row.profile_ms_per_step = profile;
        const main = row.torch as { ratio_train: number; ratio_infer: number };
        row.ratio_train = main.ratio_train;
        row.ratio_infer = main.ratio_infer;
        rows.push(row);
      } finally {
        for (const t of twins.values()) await t.close();
        for (const side of ours.values()) side.dispose();
        unfused?.dispose();
        setTorchPrecision("fp32");
        fm.model.dispose();
        await Deno.remove(dir, { recursive: true });
      }
    }
  }
  return rows;
}
