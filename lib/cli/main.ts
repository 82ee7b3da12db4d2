/**
 * `deno task fer <command> …`: the headless entry point for everything a notebook does.
 *
 * Each area of the toolkit contributes one {@link Command}; this file only dispatches.
 *
 * @example
 * ```sh
 * deno task fer data summary --dataset ckplus --root ../shared/datasets/ckplus48 --json
 * ```
 * @module
 */
import type { Command } from "./command.ts";

/** Registered commands, loaded lazily so `fer --help` stays fast. */
const commands: Record<string, () => Promise<Command>> = {
  train: () => import("./train.ts").then((m) => m.trainCommand),
  evaluate: () => import("./train.ts").then((m) => m.evaluateCommand),
  predict: () => import("./photo.ts").then((m) => m.predictCommand),
  demo: () => import("./demo.ts").then((m) => m.demoCommand),
  data: () => import("./data.ts").then((m) => m.command),
  model: () => import("./model.ts").then((m) => m.command),
  lbp: () => import("./lbp.ts").then((m) => m.command),
  augment: () => import("./augment.ts").then((m) => m.command),
  reproduce: () => import("./reproduce.ts").then((m) => m.command),
};

function usage(): string {
  const lines = ["usage: deno task fer <command> [options]", "", "commands:"];
  for (const name of Object.keys(commands).sort()) lines.push(`  ${name}`);
  lines.push("", "Run `deno task fer <command> --help` for a command's options.");
  return lines.join("\n");
}

/** Runs the CLI with the given arguments; returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`fer: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const cmd = await load();
  // tfjs prints "Hi, looks like you are running TensorFlow.js in Node.js…" on first use of a cpu backend
  // under Deno; prod mode silences tfjs's own log and warn output (and nothing else in tfjs 4.22).
  (await import("@tensorflow/tfjs-core")).enableProdMode();
  try {
    return await cmd.run(rest);
  } catch (err) {
    console.error(`fer ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (Deno.env.get("FER_DEBUG")) console.error(err);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
