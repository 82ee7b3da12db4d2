/**
 * `fer demo`: the README's main job on the embedded synthetic faces, end to end (lib/experiment/demo.ts),
 * with the trained attention's score printed. Its network is small, so unless FER_THREADS says otherwise the
 * torch kernels get one core less than the machine has and the JS input pipeline (LBP, crops) keeps one: on 2
 * cores the demo trained at about 230 img/s with one torch thread against 150 with two waiting passively; with
 * two spinning briefly (omp_wait.ts) a step at batch 16 runs no faster than on one. Its precision is `auto` unless
 * told: bf16 where the CPU has bf16 instructions (on a 2-core AMD EPYC with avx512_bf16 the run took 158 s against
 * 184 s in fp32, 96.4% ten-crop and F_m 1.52× against 98.1% and 1.40×: within the spread of seeds and CPUs), fp32
 * elsewhere and on CUDA.
 *
 * @example
 * ```sh
 * deno task main            # = deno task fer demo
 * FER_FAST=1 deno task main # a quick smoke run
 * deno task fer demo --config cell.json --epochs 8 --out outputs/demo-w25   # a study cell
 * ```
 * @module
 */
import { type Command, flags, numberFlag } from "./command.ts";
import { runtimeOf } from "../backend/runtime.ts";
import { parseRuntime } from "../backend/runtime_flags.ts";
import { runDemo } from "../experiment/demo.ts";
import type { SpecInput } from "../experiment/spec.ts";
import { readJsonFile } from "../util/mod.ts";

const HELP =
  `usage: deno task fer demo [--fast] [--preset NAME] [--config FILE] [--epochs N] [--out DIR] [--backend NAME] [--precision P] [--json]
  --config FILE   overrides of the demo's spec, as in fer train --config: {"dataset": {"n", "subjects"}, "model": {...}, "train": {...}}
  --epochs N      training epochs (over the config)
  --out DIR       where the figures and metrics go (default outputs/demo)
  --precision P   torch's precision: auto (default: bf16 where the CPU has bf16 instructions, else fp32), fp32, tf32 or bf16`;

async function readOverrides(path: string): Promise<SpecInput> {
  return await readJsonFile(path, "the demo overrides, expected JSON") as SpecInput;
}

/** `fer demo`. */
export const demoCommand: Command = {
  name: "demo",
  summary: "the main job on synthetic faces: data → LBP → augmentation → model → training → evaluation → figures",
  async run(args) {
    const f = flags(args, {
      fast: { type: "boolean" },
      preset: { type: "string" },
      config: { type: "string" },
      epochs: { type: "string" },
      out: { type: "string" },
      backend: { type: "string" },
      precision: { type: "string" },
      json: { type: "boolean" },
    }, { help: HELP });
    if (!f) return 0;
    const v = f.values;
    // FER_THREADS, when set, decides; else one core stays with the input pipeline; precision auto (see the module doc)
    const asked = parseRuntime({ backend: v.backend, precision: v.precision });
    const runtime = runtimeOf(asked, { threads: Math.max(1, navigator.hardwareConcurrency - 1), precision: "auto" });
    const overrides = v.config ? await readOverrides(v.config) : {};
    const epochs = numberFlag(v.epochs, "epochs", { integer: true, min: 1 });
    if (epochs !== undefined) {
      const train = typeof overrides.train === "string" ? { preset: overrides.train } : overrides.train;
      overrides.train = { ...train, epochs };
    }
    const r = await runDemo({
      runtime,
      fast: v.fast || undefined,
      preset: v.preset,
      overrides,
      out: v.out,
    });
    if (v.json) console.log(JSON.stringify(r));
    else {
      const pct = (a: number) => `${(a * 100).toFixed(1)}%`;
      const single = r.accuracyWithoutTta === null
        ? ""
        : ` (${r.tta} TTA; one full picture ${pct(r.accuracyWithoutTta)})`;
      console.log(
        `demo: held-out accuracy ${pct(r.accuracy)}${single}, macro-F1 ${r.macroF1.toFixed(3)} in ${
          r.seconds.toFixed(0)
        } s`,
      );
      if (r.attention) {
        console.log(
          `attention: F_m puts ${r.attention.ratio.toFixed(2)}× the uniform share of its mass inside the expression ` +
            `masks of ${r.attention.n} unseen faces (uniform 1.00, centred Gaussian ${
              r.attention.centre.toFixed(2)
            }, ` +
            `the masks themselves at F_m's resolution ${r.attention.ceiling!.toFixed(2)})`,
        );
      }
      console.log(`run: ${r.runDir}`);
      for (const f of r.files) console.log(`wrote ${f}`);
    }
    return 0;
  },
};
