/**
 * `deno task bench libtorch`: the torch backend's training speed on Debian's libtorch 1.13 against current
 * PyTorch's (build/torch2-venv, made by `deno task setup`), side by side. One process holds one libtorch, so each
 * round runs bench/train.ts once per libtorch in a child process, alternating (1.13, 2.x, 1.13, …), each against
 * the same PyTorch reference (the venv's) timed in that child: load from other processes hits all alike, and the
 * ratio of the two `ratio_train`s compares the libtorch versions through a reference measured beside each. With
 * `--net` model presets, our network's training step is compared the same way, through its PyTorch twin.
 * Prints one JSON document; `--out` also writes it as a record (commit, machine, load).
 *
 * `--help` lists the options: --rounds, --out, and bench/train.ts's --net, --sizes, --steps, --threads,
 * --precisions, --paper.
 *
 * @example
 * ```sh
 * deno task bench libtorch --sizes 48 --rounds 2 --paper cpu-small
 * deno task bench libtorch --net reference,cpu-tiny-gated --threads 1 --out results/bench/libtorch.json
 * ```
 * @module
 */
import { scriptArgs } from "../tools/args.ts";
import { torchVenv } from "../lib/backend/mod.ts";
import { startRecord } from "./record.ts";

interface TorchRow {
  train_img_s: number;
  ratio_train: number;
}

/** One child run: the rows of bench/train.ts's JSON that this bench compares (one per net and size, in its order). */
interface ChildRun {
  torch: string;
  sizes: { net: string; size: number; rows: Record<string, TorchRow>; paper_img_s?: number }[];
}

const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
const round = (v: number) => Math.round(v * 1000) / 1000;

async function child(env: Record<string, string>, args: string[]): Promise<ChildRun> {
  const script = new URL("./train.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(`bench/train.ts failed: ${new TextDecoder().decode(out.stderr).slice(-800)}`);
  const j = JSON.parse(new TextDecoder().decode(out.stdout));
  return {
    torch: j.torch,
    sizes: (j.results as Record<string, unknown>[]).map((r) => ({
      net: r.net as string,
      size: r.size as number,
      rows: Object.fromEntries(
        Object.entries(r).filter(([k]) => k.startsWith("torch")).map(([k, v]) => [k, v as TorchRow]),
      ),
      paper_img_s: (r.paper_model as { torch?: { train_img_s: number } } | undefined)?.torch?.train_img_s,
    })),
  };
}

/** The command line of `deno task bench libtorch`. */
export const LIBTORCH_SPEC = {
  command: "deno task bench libtorch",
  summary: "The torch backend's training speed on Debian's libtorch 1.13 against current PyTorch's " +
    "(build/torch2-venv), alternating child processes of bench/train.ts, as JSON.",
  options: {
    rounds: {
      type: "number",
      default: 2,
      min: 1,
      integer: true,
      help: "alternating rounds (1.13, 2.x) of bench/train.ts",
    },
    net: { type: "string", default: "reference", help: "bench/train.ts --net (model presets: against their twin)" },
    sizes: { type: "string", default: "48", help: "bench/train.ts --sizes" },
    steps: { type: "string", default: "3", help: "bench/train.ts --steps" },
    threads: { type: "string", default: "2", help: "bench/train.ts --threads" },
    precisions: { type: "string", default: "fp32,bf16", help: "bench/train.ts --precisions" },
    paper: { type: "string", help: "bench/train.ts --paper: also time this model preset" },
    out: { type: "string", help: "also write the JSON as a record with the commit, machine and load to this file" },
  },
} as const;

/** Runs the comparison and returns the JSON-ready result. */
export async function benchLibtorch(args: string[]): Promise<Record<string, unknown>> {
  const { values } = scriptArgs(args, LIBTORCH_SPEC);
  const venv = await torchVenv();
  if (!venv.ok) throw new Error(`bench libtorch needs current PyTorch: ${venv.reason}`);
  const loadStart = Deno.loadavg();
  const trainArgs = ["--net", values.net, "--sizes", values.sizes, "--steps", values.steps];
  trainArgs.push("--threads", values.threads, "--precisions", values.precisions, "--rounds", "1");
  trainArgs.push("--python", venv.python);
  if (values.paper) trainArgs.push("--paper", values.paper);
  // FER_PYTHON picks the shim's libtorch: Debian's python3 has 1.13 (python3-torch, else libtorch-dev is found).
  const libtorchs = [{ FER_PYTHON: "/usr/bin/python3" }, { FER_PYTHON: venv.python }];
  const runs: ChildRun[][] = libtorchs.map(() => []);
  for (let r = 0; r < values.rounds; r++) {
    for (const [i, env] of libtorchs.entries()) {
      console.error(`bench libtorch: round ${r + 1}, ${env.FER_PYTHON} …`);
      runs[i].push(await child(env, trainArgs));
    }
  }
  const summary = (rs: ChildRun[]) => ({
    torch: rs[0].torch,
    sizes: rs[0].sizes.map((s, k) => ({
      net: s.net,
      size: s.size,
      ...Object.fromEntries(
        Object.keys(s.rows).map((name) => [name, {
          train_img_s: round(mean(rs.map((q) => q.sizes[k].rows[name].train_img_s))),
          ratio_train: round(mean(rs.map((q) => q.sizes[k].rows[name].ratio_train))),
          rounds: rs.map((q) => round(q.sizes[k].rows[name].train_img_s)),
        }]),
      ),
      ...(s.paper_img_s !== undefined
        ? {
          paper_train_img_s: round(mean(rs.map((q) => q.sizes[k].paper_img_s!))),
          paper_rounds: rs.map((q) => round(q.sizes[k].paper_img_s!)),
        }
        : {}),
    })),
  });
  const [old, current] = runs.map(summary);
  return {
    bench: "libtorch",
    reference: `PyTorch ${venv.version} (${venv.python}), timed in each child beside the torch backend`,
    old,
    current,
    // > 1: the torch backend trains faster on current PyTorch than on 1.13, each measured against the same reference.
    current_over_old: current.sizes.map((s, k) => ({
      net: s.net,
      size: s.size,
      ...Object.fromEntries(
        Object.keys(s).filter((n) => n.startsWith("torch")).map((n) => {
          const a = (s as Record<string, unknown>)[n] as { ratio_train: number };
          const b = (old.sizes[k] as Record<string, unknown>)[n] as { ratio_train: number };
          return [`${n}_ratio_train`, round(a.ratio_train / b.ratio_train)];
        }),
      ),
      ...(s.paper_train_img_s !== undefined
        ? { paper_train_img_s: round(s.paper_train_img_s / old.sizes[k].paper_train_img_s!) }
        : {}),
    })),
    machine: { cores: navigator.hardwareConcurrency, loadavg_start: loadStart, loadavg_end: Deno.loadavg() },
  };
}

if (import.meta.main) {
  const out = scriptArgs(Deno.args, LIBTORCH_SPEC).values.out;
  const run = out ? startRecord(`deno task bench libtorch ${Deno.args.join(" ")}`) : null;
  const result = await benchLibtorch(Deno.args);
  const { machine: loadavg, ...rest } = result; // the record's machine is the envelope's, as in bench/train.ts
  console.log(JSON.stringify(run ? await run.write(out!, { ...rest, loadavg }) : result, null, 2));
}
