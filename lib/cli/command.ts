/**
 * The shape of one CLI command, and small helpers shared by all of them.
 *
 * @example
 * ```ts
 * export const command: Command = {
 *   name: "lbp",
 *   summary: "LBP code image of one picture",
 *   async run(args) { const { values } = parse(args, { method: { type: "string" } }); return 0; },
 * };
 * ```
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** One `deno task fer <name>` command. */
export interface Command {
  name: string;
  summary: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(args: string[]): Promise<number>;
}

/** Strict option parsing: an unknown flag is an error that names it. */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  return parseArgs({ args, options, allowPositionals, strict: true });
}

/** Reads a required string option or throws an error naming the flag. */
export function required(values: Record<string, unknown>, flag: string): string {
  const v = values[flag];
  if (typeof v !== "string" || v === "") throw new Error(`missing required option --${flag}`);
  return v;
}
