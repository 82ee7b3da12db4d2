/**
 * `fer demo`: the README's main job on the embedded synthetic faces, end to end (lib/experiment/demo.ts).
 *
 * @example
 * ```sh
 * deno task main            # = deno task fer demo
 * FER_FAST=1 deno task main # a quick smoke run
 * ```
 * @module
 */
import { type Command, parse } from "./command.ts";
import type { BackendName } from "../backend/select.ts";
import { runDemo } from "../experiment/demo.ts";

/** `fer demo`. */
export const demoCommand: Command = {
  name: "demo",
  summary: "the main job on synthetic faces: data → LBP → augmentation → model → training → evaluation → figures",
  async run(args) {
    const { values: v } = parse(args, {
      fast: { type: "boolean" },
      preset: { type: "string" },
      backend: { type: "string", default: "auto" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (v.help) return console.log("usage: deno task fer demo [--fast] [--preset NAME] [--backend NAME] [--json]"), 0;
    const r = await runDemo({ fast: v.fast || undefined, backend: v.backend as BackendName, preset: v.preset });
    if (v.json) console.log(JSON.stringify(r));
    else {
      console.log(
        `demo: accuracy ${(r.accuracy * 100).toFixed(1)}%, macro-F1 ${r.macroF1.toFixed(3)} in ${
          r.seconds.toFixed(0)
        } s`,
      );
      console.log(`run: ${r.runDir}`);
      for (const f of r.files) console.log(`wrote ${f}`);
    }
    return 0;
  },
};
