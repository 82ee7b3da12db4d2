/**
 * The recipe study (issue 14): each cell is `results/study/cells/<cell>.json`: an experiment `spec` (a
 * `fer train --config` file: dataset, model, train, protocol; for a demo cell the overrides of the demo's
 * spec), the other flags of the run (`args`: the backend) and the `seeds` to run it with. `run` trains a
 * cell once per seed through the engine (`fer train`, or `fer demo`) and copies the engine-written
 * `run.json` of each to `results/study/runs/<cell>@<seed>.json`; `table` prints the study table from those
 * records only, so every number in it has its record; `attention` the demo runs' attention ratio per epoch.
 *
 * A seed sets both the model's initialiser seed and the training seed (shuffling, augmentation,
 * validation split); the fold assignment stays fixed by the spec's `protocol.seed`.
 *
 * @example
 * ```sh
 * deno run -A tools/study.ts run ck-sgd-nesterov   # every seed of one cell, one after the other
 * deno run -A tools/study.ts table       # the study table (Markdown)
 * deno run -A tools/study.ts attention   # the demo runs' attention ratio per epoch
 * ```
 * @module
 */
import { join } from "node:path";
import type { ModelSpec, TrainSpec } from "../lib/experiment/mod.ts";
import { attentionMarkdown, readCell, STUDY_DIR, studyMarkdown, studyRows } from "../lib/report/mod.ts";
import { scriptArgs, usageError } from "./args.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function runCell(name: string): Promise<void> {
  const cell = await readCell(name);
  await Deno.mkdir(join(STUDY_DIR, "runs"), { recursive: true });
  for (const seed of cell.seeds) {
    const out = join(STUDY_DIR, "runs", `${name}@${seed}.json`);
    try {
      await Deno.stat(out);
      console.error(`${name}@${seed}: recorded already (${out})`);
      continue;
    } catch { /* not run yet */ }
    const config = await Deno.makeTempFile({ suffix: ".json" });
    const demo = cell.command === "demo";
    const named = <T>(v: string | T | undefined): T => (typeof v === "string" ? { preset: v } : v ?? {}) as T;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        ...cell.spec,
        model: { ...named<ModelSpec>(cell.spec.model), seed },
        train: { ...named<TrainSpec>(cell.spec.train), seed },
      }),
    );
    const args = demo
      ? [
        "demo",
        "--config",
        config,
        // the study's cells ran in fp32; the demo's own default (auto) would run bf16 on a CPU that has it
        "--precision",
        "fp32",
        ...cell.args,
        "--out",
        join(ROOT, "outputs/study", `demo-${name}@${seed}`),
        "--json",
      ]
      : ["train", "--config", config, ...cell.args, "--runs", join(ROOT, "outputs/study")]
        .concat(["--experiment", `study:${name}`, "--json"]);
    const cmd = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "lib/cli/main.ts"), ...args],
      stdout: "piped",
      stderr: "inherit",
      cwd: ROOT,
    });
    const r = await cmd.output();
    const text = new TextDecoder().decode(r.stdout).trim().split("\n").at(-1) ?? "";
    if (r.code !== 0) throw new Error(`${name}@${seed}: fer ${args[0]} exited ${r.code}: ${text}`);
    const { run, runDir } = JSON.parse(text) as { run?: string; runDir?: string };
    await Deno.copyFile(join(run ?? runDir!, "run.json"), out);
    await Deno.remove(config);
    console.error(`${name}@${seed}: ${text}`);
  }
}

if (import.meta.main) {
  const command = "deno run -A tools/study.ts";
  const { positionals } = scriptArgs(Deno.args, {
    command,
    summary: "The recipe study (issue 14): trains its cells, or prints its tables from the records.",
    options: {},
    positionals: "run CELL… | table | attention",
    notes: "run CELL…: every seed of each cell, recorded under results/study/runs/\n" +
      "table: the study table (Markdown)\nattention: the demo runs' attention ratio per epoch (Markdown)",
  });
  const [cmd, ...names] = positionals;
  if (cmd === "run" && names.length) {
    for (const n of names) await runCell(n);
  } else if (cmd === "table" && !names.length) {
    console.log(studyMarkdown(await studyRows()));
  } else if (cmd === "attention" && !names.length) {
    console.log(await attentionMarkdown());
  } else {usageError(
      command,
      `want run CELL…, table or attention, got ${positionals.length ? `"${positionals.join(" ")}"` : "nothing"}`,
    );}
}
