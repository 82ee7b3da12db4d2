/**
 * `deno task fer model …`: presets, summaries and diagrams of the network.
 *
 * - `model presets [--json]` lists the named configurations;
 * - `model summary --preset NAME [--input-size N] [--width W] [--layers] [--json]` prints
 *   parameter counts and multiply-adds per module (every layer with --layers);
 * - `model diagram --preset NAME [--input-size N] [--width W] [--output file.svg]` writes the SVG.
 *
 * @example
 * ```sh
 * deno task fer model summary --preset table2-no-attention --input-size 48 --json
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { type Command, flags, numberFlag } from "./command.ts";
import { buildModel } from "../model/build.ts";
import type { ModelConfig } from "../model/config.ts";
import { modelDiagram } from "../model/diagram.ts";
import { preset, PRESETS } from "../model/presets.ts";
import { formatCount, summarizeModel, summaryMarkdown } from "../model/summary.ts";

const USAGE = `usage:
  fer model presets [--json]
  fer model summary --preset NAME [--input-size N] [--width W] [--layers] [--json]
  fer model diagram --preset NAME [--input-size N] [--width W] [--output FILE.svg]`;

const OPTIONS = {
  preset: { type: "string" },
  "input-size": { type: "string" },
  width: { type: "string" },
  layers: { type: "boolean" },
  json: { type: "boolean" },
  output: { type: "string" },
} as const;

function configFrom(values: { preset?: string; "input-size"?: string; width?: string }): ModelConfig {
  const overrides: Partial<ModelConfig> = {};
  const size = numberFlag(values["input-size"], "input-size", { positive: true });
  const width = numberFlag(values.width, "width", { positive: true });
  if (size !== undefined) overrides.inputSize = size;
  if (width !== undefined) overrides.width = width;
  return preset(values.preset ?? "paper", overrides);
}

function describe(c: ModelConfig): string {
  const off = [
    !c.featureExtraction && "no FE",
    !c.attention && "no attention",
    !c.reconstruction && "no reconstruction",
  ]
    .filter(Boolean);
  return `${c.inputSize}×${c.inputSize}, width ${c.width}, lbp ${c.lbp}, dilations ${c.dilations.join("-")}` +
    (off.length ? `, ${off.join(", ")}` : "");
}

/** The `model` command. */
export const command: Command = {
  name: "model",
  summary: "network presets, parameter/MAC summaries and module diagrams",
  async run(args: string[]): Promise<number> {
    const f = flags(args, OPTIONS, { help: USAGE, positionals: true });
    if (!f) return 0;
    const { values, positionals } = f;
    const [sub, ...extra] = positionals;
    if (!sub) {
      console.log(USAGE);
      return 2;
    }
    if (extra.length) throw new Error(`unexpected argument(s) ${extra.join(" ")}\n${USAGE}`);
    if (sub === "presets") {
      if (values.json) console.log(JSON.stringify(PRESETS, null, 2));
      else for (const [name, c] of Object.entries(PRESETS)) console.log(`${name.padEnd(30)} ${describe(c)}`);
      return 0;
    }
    if (sub === "summary") {
      await tf.setBackend("cpu");
      const fm = buildModel(configFrom(values));
      const s = summarizeModel(fm);
      fm.model.dispose();
      if (values.json) {
        console.log(JSON.stringify({ preset: values.preset ?? "paper", config: fm.config, ...s }, null, 2));
      } else {
        console.log(`# ${values.preset ?? "paper"}: ${describe(fm.config)}\n`);
        console.log(summaryMarkdown(s, { layers: values.layers ?? false }));
        console.log(`\n${formatCount(s.params)} parameters, ${formatCount(s.macs)} multiply-adds per image`);
      }
      return 0;
    }
    if (sub === "diagram") {
      const svg = modelDiagram(configFrom(values));
      if (values.output) {
        await Deno.writeTextFile(values.output, svg + "\n");
        console.error(`wrote ${values.output}`);
      } else {
        console.log(svg);
      }
      return 0;
    }
    throw new Error(`unknown subcommand "${sub}"\n${USAGE}`);
  },
};
