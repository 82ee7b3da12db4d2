/**
 * `deno task bench omp-wait`: how libtorch's idle OpenMP threads should wait (lib/backend/torch/omp_wait.ts), measured.
 * For each load (that many busy processes it starts itself, each spinning one core) and each waiting policy
 * (`passive`: OMP_WAIT_POLICY=PASSIVE; `spin`: GOMP_SPINCOUNT=10000; `active`: OMP_WAIT_POLICY=ACTIVE; `auto`: none
 * set, the backend's own choice), a fresh process times training steps of a model preset on the torch backend
 * (bench/twin.ts's torchSpeed), the policies interleaved per round. Prints JSON: img/s per load and policy (mean
 * and rounds), each policy's ratio to passive, and what `auto` chose.
 *
 * @example
 * ```sh
 * deno task bench omp-wait --loads 0,2,6 --out results/bench/omp-wait-2026-12-06.json
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { OMP_WAIT_MARK, registerTorchBackend, SHORT_SPIN, TORCH_BACKEND } from "../lib/backend/mod.ts";
import { buildModel, preset } from "../lib/model/mod.ts";
import { scriptArgs } from "../tools/args.ts";
import { startRecord } from "./record.ts";
import { torchSpeed } from "./twin.ts";

export const OMP_WAIT_SPEC = {
  command: "deno task bench omp-wait",
  summary:
    "Training img/s of the torch backend under each OpenMP waiting policy, idle and beside busy processes, as JSON.",
  options: {
    net: { type: "string", default: "cpu-tiny-gated", help: "the model preset timed" },
    size: { type: "number", default: 48, min: 8, integer: true, help: "input size in pixels" },
    batch: { type: "number", default: 32, min: 1, integer: true, help: "batch size" },
    steps: { type: "number", default: 10, min: 1, integer: true, help: "timed steps per measurement" },
    warmup: { type: "number", default: 5, min: 1, integer: true, help: "untimed steps before each measurement" },
    threads: { type: "number", default: 2, min: 1, integer: true, help: "torch's intra-op threads" },
    rounds: { type: "number", default: 2, min: 1, integer: true, help: "interleaved rounds (means reported)" },
    loads: { type: "string", default: "0,2,6", help: "busy processes started beside the measurement, comma list" },
    child: { type: "boolean", help: "(internal) time one policy in this process and print its JSON" },
    out: { type: "string", help: "also write the JSON as a record with the commit, machine and load to this file" },
  },
} as const;

/** The policies and the environment each sets (auto: none, the backend decides). */
const POLICIES: Record<string, Record<string, string>> = {
  passive: { OMP_WAIT_POLICY: "PASSIVE" },
  spin: { GOMP_SPINCOUNT: `${SHORT_SPIN}` },
  active: { OMP_WAIT_POLICY: "ACTIVE" },
  auto: {},
};

interface ChildOut {
  train_img_s: number;
  chose: string;
}

async function childRun(
  v: { net: string; size: number; batch: number; steps: number; warmup: number; threads: number },
) {
  const r = await registerTorchBackend({ threads: v.threads, device: "cpu" });
  if (!r.ok) throw new Error(`bench omp-wait: torch backend unavailable: ${r.reason}`);
  await tf.setBackend(TORCH_BACKEND);
  const fm = buildModel(preset(v.net, { inputSize: v.size }));
  const s = await torchSpeed(fm, v, "fp32");
  const out: ChildOut = { train_img_s: s.train_img_s, chose: `${r.ompWait!.policy}: ${r.ompWait!.why}` };
  console.log(JSON.stringify(out));
}

/** Starts `n` processes that each keep one core busy; returns their stopper. */
function busy(n: number): () => Promise<void> {
  const procs = Array.from(
    { length: n },
    () =>
      new Deno.Command(Deno.execPath(), { args: ["eval", "while (true);"], stdout: "null", stderr: "null" }).spawn(),
  );
  return async () => {
    for (const p of procs) p.kill("SIGKILL");
    await Promise.all(procs.map((p) => p.status));
  };
}

async function child(args: string[], env: Record<string, string>): Promise<ChildOut> {
  // each child starts from its policy's variables alone: not the user's, nor a choice marked as inherited
  const clean = { ...Deno.env.toObject() };
  delete clean.OMP_WAIT_POLICY, delete clean.GOMP_SPINCOUNT, delete clean[OMP_WAIT_MARK];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, ...args, "--child"],
    env: { ...clean, ...env, NO_COLOR: "1" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(`bench omp-wait child failed: ${new TextDecoder().decode(out.stderr).slice(-600)}`);
  }
  return JSON.parse(text.split("\n").pop()!);
}

const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
const round = (v: number) => Math.round(v * 10) / 10;

/** Runs the bench (see the module doc); returns its JSON. */
export async function benchOmpWait(args: string[]): Promise<Record<string, unknown>> {
  const { values: v } = scriptArgs(args, OMP_WAIT_SPEC);
  const loads = v.loads.split(",").map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--loads: expected whole numbers ≥ 0, got "${s}"`);
    return n;
  });
  const childArgs = ["--net", v.net, "--size", `${v.size}`, "--batch", `${v.batch}`, "--steps", `${v.steps}`];
  childArgs.push("--warmup", `${v.warmup}`, "--threads", `${v.threads}`);
  const rows = [];
  for (const load of loads) {
    const stop = busy(load);
    try {
      await new Promise((r) => setTimeout(r, 500)); // let the busy processes get going
      const runs: Record<string, ChildOut[]> = Object.fromEntries(Object.keys(POLICIES).map((p) => [p, []]));
      for (let r = 0; r < v.rounds; r++) {
        for (const [name, env] of Object.entries(POLICIES)) {
          console.error(`bench omp-wait: load ${load}, round ${r + 1}, ${name} …`);
          runs[name].push(await child(childArgs, env));
        }
      }
      const passive = mean(runs.passive.map((o) => o.train_img_s));
      rows.push({
        busy_processes: load,
        ...Object.fromEntries(
          Object.entries(runs).map(([name, os]) => {
            const m = mean(os.map((o) => o.train_img_s));
            return [name, {
              train_img_s: round(m),
              ratio_to_passive: Math.round(m / passive * 1000) / 1000,
              rounds: os.map((o) => round(o.train_img_s)),
              ...(name === "auto" ? { chose: os.map((o) => o.chose) } : {}),
            }];
          }),
        ),
      });
    } finally {
      await stop();
    }
  }
  return {
    bench: "omp-wait",
    net: v.net,
    size: v.size,
    batch: v.batch,
    threads: v.threads,
    policies: POLICIES,
    results: rows,
  };
}

if (import.meta.main) {
  const { values } = scriptArgs(Deno.args, OMP_WAIT_SPEC);
  if (values.child) await childRun(values);
  else {
    const run = values.out ? startRecord(`deno task bench omp-wait ${Deno.args.join(" ")}`) : null;
    const result = await benchOmpWait(Deno.args);
    console.log(JSON.stringify(run ? await run.write(values.out!, result) : result, null, 2));
  }
}
