/**
 * `deno task bench train`: training and inference speed of the reference VGG-style net
 * (bench/ref_net.ts) on tfjs backends against PyTorch (bench/torch_ref.py, same architecture,
 * same batch, same thread count) measured in the same run, interleaved (PyTorch, torch fp32, torch
 * bf16, PyTorch, …) so that load from other processes on the machine hits all alike.
 * The "torch" rows are this project's torch backend (lib/backend/torch) at each `--precisions`
 * entry, each with its ratio to PyTorch at the same precision (and, below fp32, to PyTorch's fp32);
 * the row's own `ratio_train`/`ratio_infer` are torch fp32's.
 * Prints one JSON document.
 * The reference is the newest PyTorch found: build/torch2-venv's (`deno task setup` makes it), else Debian's
 * python3-torch; the JSON names its version (`pytorch`). Without a PyTorch for `--python`, it says what to install
 * and exits 2.
 *
 * With `--net` model presets (e.g. `cpu-tiny-gated,cpu-small`), each is also timed against its PyTorch twin
 * (bench/twin.ts): rows with `net` set to the preset. `--help` lists the options (TRAIN_SPEC).
 *
 * @example
 * ```sh
 * deno task bench train --sizes 48 --steps 3 --profile
 * deno task bench train --net cpu-tiny-gated,cpu-small,reference --sizes 48,96
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  type KernelTime,
  type Precision,
  profileKernels,
  registerTorchBackend,
  setTorchPrecision,
} from "../lib/backend/mod.ts";
import { torchVenv } from "../lib/backend/mod.ts";
import { Progress } from "../lib/util/mod.ts";
import { buildModel, preset, PRESETS } from "../lib/model/mod.ts";
import type * as tfl from "@tensorflow/tfjs-layers";
import { referenceNet } from "./ref_net.ts";
import { scriptArgs, usageError } from "../tools/args.ts";
import { startRecord } from "./record.ts";
import { benchTwin, PYTORCH_MALLOC, type PytorchMalloc, pytorchMallocEnv } from "./twin.ts";

/** Speed of one engine at one input size. */
export interface Speed {
  train_img_s: number;
  infer_img_s: number;
  batch: number;
  note?: string;
}

interface TorchOut extends Speed {
  engine: string;
  device: string;
}

interface RefOptions {
  python: string;
  size: number;
  batch: number;
  steps: number;
  warmup: number;
  threads: number;
  device: string;
  precision: Precision;
  /** Extra environment of the PyTorch process: the allocator setting the torch backend runs with. */
  env: Record<string, string>;
}

/** The interpreter of the newest PyTorch found: build/torch2-venv's (current PyTorch), else Debian's python3-torch. */
export async function newestPython(): Promise<string> {
  const venv = await torchVenv();
  return venv.ok ? venv.python : "/usr/bin/python3";
}

/** The version of `python`'s PyTorch, or why it cannot be the reference, with exactly what to install. */
export async function pytorchVersion(python: string): Promise<{ version: string } | { missing: string }> {
  let out: Deno.CommandOutput | null = null;
  try {
    const args = ["-c", "import torch; print(torch.__version__)"];
    out = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
  } catch { /* not runnable: said below */ }
  if (out?.code === 0) return { version: new TextDecoder().decode(out.stdout).trim().split("\n").pop()! };
  const why = out ? new TextDecoder().decode(out.stderr).trim().split("\n").pop() : `${python} not found`;
  return {
    missing: `bench train: PyTorch, the speed reference, is not importable by ${python} (${why}). Install it: ` +
      `"deno task setup" (current PyTorch in build/torch2-venv, with pip), "sudo apt-get install python3-torch" ` +
      `(Debian's 1.13), or "${python} -m pip install torch"; another interpreter: --python PATH`,
  };
}

async function torchRef(o: RefOptions): Promise<TorchOut> {
  const script = new URL("./torch_ref.py", import.meta.url).pathname;
  const args = [script, "--size", `${o.size}`, "--batch", `${o.batch}`, "--steps", `${o.steps}`];
  args.push("--warmup", `${o.warmup}`, "--threads", `${o.threads}`, "--device", o.device, "--precision", o.precision);
  const out = await new Deno.Command(o.python, { args, env: o.env, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) throw new Error(`torch_ref.py failed: ${new TextDecoder().decode(out.stderr).slice(-800)}`);
  return JSON.parse(text.split("\n").pop()!);
}

type Timed = Speed & { profile?: KernelTime[] };

/** What {@link tfjsSpeed} times: the reference net (or a model preset with Keras' fit step) on a backend. */
interface SpeedOptions {
  backend: string;
  size: number;
  batch: number;
  steps: number;
  /** Untimed steps first. */
  warmup: number;
  profile: boolean;
  paperPreset?: string;
}

async function tfjsSpeed(
  { backend, size, batch, steps, warmup, profile, paperPreset }: SpeedOptions,
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
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(x, y); // primitives, first allocations, V8's JIT
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

/** The command line of `deno task bench train`. */
export const TRAIN_SPEC = {
  command: "deno task bench train",
  summary: "Training and inference img/s of the torch backend against PyTorch, measured in the same run, as JSON.",
  options: {
    net: {
      type: "string",
      default: "reference",
      help: "comma list: reference (the VGG-style net) and/or model presets timed against their PyTorch twin",
    },
    sizes: { type: "string", default: "48,96", help: "input sizes in pixels, comma list" },
    batch: { type: "number", default: 32, min: 1, integer: true, help: "batch size" },
    steps: {
      type: "number",
      default: 3,
      min: 1,
      integer: true,
      help: "timed steps per measurement (with --net presets: per side and round)",
    },
    warmup: {
      type: "number",
      default: 5,
      min: 1,
      integer: true,
      help: "untimed steps before each measurement, both sides (V8 optimises tfjs's code over the first few); with " +
        "--net presets, once per side before the rounds",
    },
    threads: { type: "number", default: 2, min: 1, integer: true, help: "intra-op threads, both sides" },
    rounds: { type: "number", default: 2, min: 1, integer: true, help: "interleaved rounds (means reported)" },
    precisions: { type: "string", default: "fp32,bf16", help: "torch backend precisions, each against PyTorch's" },
    device: { type: "string", default: "cpu", help: "cpu or cuda (torch backend and PyTorch)" },
    python: {
      type: "string",
      help: "the interpreter whose torch is the reference (default: build/torch2-venv's, else /usr/bin/python3)",
    },
    "pytorch-malloc": {
      type: "string",
      default: "keep",
      help: "keep: PyTorch's glibc keeps freed memory, as the torch backend does (like with like); glibc: its defaults",
    },
    cpu: { type: "boolean", help: "also time the pure-JS cpu backend (reference net, 1 step at batch 1)" },
    unfused: {
      type: "boolean",
      help: "with --net presets: also time our fp32 step with conv, BatchNormalization and ReLU in calls of their own",
    },
    profile: {
      type: "boolean",
      help: "per-kernel milliseconds per step on torch (reference net); with --net presets, the twin's ATen ops beside",
    },
    paper: { type: "string", help: "also time this model preset on torch with Keras' fit step (no PyTorch mirror)" },
    out: { type: "string", help: "also write the JSON as a record with the commit, machine and load to this file" },
  },
} as const;

/** Runs the benchmark and returns the JSON-ready result. */
export async function benchTrain(args: string[]): Promise<Record<string, unknown>> {
  const { values } = scriptArgs(args, TRAIN_SPEC);
  const batch = values.batch, steps = values.steps, threads = values.threads, warmup = values.warmup;
  const rounds = values.rounds, device = values.device;
  const precisions = values.precisions.split(",").filter(Boolean) as Precision[];
  const nets = values.net.split(",").filter(Boolean), sizes = values.sizes.split(",").map(Number);
  const unknown = nets.filter((n) => n !== "reference" && !(n in PRESETS));
  if (unknown.length) {
    throw new Error(`--net: unknown ${unknown.join(", ")}; known: reference, ${Object.keys(PRESETS)}`);
  }
  const pytorchMalloc = values["pytorch-malloc"] as PytorchMalloc;
  if (!PYTORCH_MALLOC.includes(pytorchMalloc)) {
    usageError(TRAIN_SPEC.command, `--pytorch-malloc: expected ${PYTORCH_MALLOC.join(" or ")}, got "${pytorchMalloc}"`);
  }
  const loadStart = Deno.loadavg();
  const python = values.python ?? await newestPython();
  const reference = await pytorchVersion(python);
  if ("missing" in reference) {
    console.error(reference.missing);
    Deno.exit(2);
  }
  const torch = await registerTorchBackend({ threads, device: device as "cpu" | "cuda" });
  const env = pytorchMallocEnv(pytorchMalloc);
  const results: Record<string, unknown>[] = [];
  for (const size of nets.includes("reference") ? sizes : []) {
    const ref = (precision: Precision) =>
      torchRef({ python, size, batch, steps, warmup, threads, device, precision, env });
    const pytorch = new Map<Precision, TorchOut[]>(), ours = new Map<string, Timed[]>();
    const add = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...m.get(k) ?? [], v]);
    const last = (r: number) => values.profile && r === rounds - 1;
    for (let r = 0; r < rounds; r++) {
      for (const p of new Set<Precision>(["fp32", ...precisions])) {
        add(pytorch as Map<string, TorchOut[]>, p, await ref(p));
      }
      if (!torch.ok) continue;
      for (const p of precisions) {
        setTorchPrecision(p);
        const speed = await tfjsSpeed({ backend: "torch", size, batch, steps, warmup, profile: last(r) });
        add(ours, p === "fp32" ? "torch" : `torch_${p}`, speed);
      }
      setTorchPrecision("fp32");
    }
    const row: Record<string, unknown> = { net: "reference", size, batch };
    for (const [p, outs] of pytorch) {
      row[p === "fp32" ? "pytorch" : `pytorch_${p}`] = {
        engine: outs[0].engine,
        device: outs[0].device,
        threads,
        train_img_s: mean(outs.map((q) => q.train_img_s)),
        infer_img_s: mean(outs.map((q) => q.infer_img_s)),
        rounds: outs.map((q) => round(q.train_img_s)),
      };
    }
    for (const [name, outs] of ours) {
      const precision = name === "torch" ? "fp32" : name.slice("torch_".length);
      const t = row[precision === "fp32" ? "pytorch" : `pytorch_${precision}`] as Speed;
      const f = {
        train_img_s: mean(outs.map((q) => q.train_img_s)),
        infer_img_s: mean(outs.map((q) => q.infer_img_s)),
      };
      const fp32 = row.pytorch as Speed;
      row[name] = {
        ...f,
        ratio_train: round(f.train_img_s / t.train_img_s),
        ratio_infer: round(f.infer_img_s / t.infer_img_s),
        ...(precision === "fp32" ? {} : { ratio_train_vs_pytorch_fp32: round(f.train_img_s / fp32.train_img_s) }),
        rounds: outs.map((q) => round(q.train_img_s)),
        note: outs.find((q) => q.note)?.note,
        ...(values.profile ? { profile_ms_per_step: outs[outs.length - 1].profile } : {}),
      };
    }
    if (!torch.ok) row.torch = { error: torch.reason };
    const main = row.torch as { ratio_train?: number; ratio_infer?: number } | undefined;
    if (main?.ratio_train !== undefined) (row.ratio_train = main.ratio_train, row.ratio_infer = main.ratio_infer);
    if (values.cpu) {
      const c = await tfjsSpeed({ backend: "cpu", size, batch: 1, steps: 1, warmup: 1, profile: false });
      row.cpu = { ...c, note: "pure-JS cpu backend: 1 step at batch 1 (a batch-32 step takes tens of minutes)" };
    }
    if (values.paper) {
      const paper: Record<string, unknown> = { preset: values.paper };
      if (torch.ok) {
        const o = { backend: "torch", size, batch, steps, warmup, profile: values.profile, paperPreset: values.paper };
        paper.torch = await tfjsSpeed(o);
      }
      row.paper_model = paper;
    }
    results.push(row);
  }
  const twins = nets.filter((n) => n !== "reference");
  if (twins.length && torch.ok) {
    const o = {
      nets: twins,
      sizes,
      batch,
      steps,
      warmup,
      threads,
      rounds,
      precisions,
      device,
      python,
      env,
      profile: values.profile,
      unfused: values.unfused,
    };
    results.push(...await benchTwin(o));
  } else if (twins.length) results.push({ net: twins.join(","), torch: { error: torch.reason } });
  return {
    bench: "train",
    net: "ref VGG: conv3x3 64-64 / 128-128 / 256x3 (+BN+ReLU, maxpool) → dense 256 → 7, Adam",
    threads,
    device,
    pytorch: { version: reference.version, python },
    torch: torch.ok ? torch.reason : torch.reason.split("\n")[0],
    // how both sides' OpenMP threads waited: PyTorch's processes inherit the variables the backend set
    omp_wait: torch.ompWait ?? null,
    // how both sides kept freed memory: the torch backend's cache (torch/memory.ts), PyTorch's glibc settings
    memory: { torch_cache_mb: torch.cpuCache?.limitMb ?? null, pytorch_malloc: pytorchMalloc, pytorch_env: env },
    machine: { cores: navigator.hardwareConcurrency, loadavg_start: loadStart, loadavg_end: Deno.loadavg() },
    results,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

if (import.meta.main) {
  const out = scriptArgs(Deno.args, TRAIN_SPEC).values.out;
  const run = out ? startRecord(`deno task bench train ${Deno.args.join(" ")}`) : null;
  const result = await benchTrain(Deno.args);
  // the record's machine is the envelope's (CPU as lscpu names it, bf16, load): the bench's own load averages
  // go beside it as `loadavg`
  const { machine: loadavg, ...rest } = result;
  console.log(JSON.stringify(run ? await run.write(out!, { ...rest, loadavg }) : result, null, 2));
}
