/**
 * Command-line options of the runnable scripts in tools/, bench/ and web/: each option declared once with its
 * help line and default, `--help` (`-h`) printing the usage and the options (exit 0) before any work, and a bad
 * command line answered with one line that names the bad flag and points at `--help` (exit 2), not a parseArgs
 * stack trace. It imports nothing but node:util, so `setup.ts --native` (run with `--no-npm`) and the offline GPU
 * bundle can use it. (`deno task fer` has its own, lib/cli/command.ts.)
 *
 * @example
 * ```ts
 * const { values } = scriptArgs(Deno.args, {
 *   command: "deno task bench lbp",
 *   summary: "LBP speed here and in scikit-image.",
 *   options: { reps: { type: "number", default: 5, min: 1, integer: true, help: "passes per operator (best counts)" } },
 * });
 * values.reps; // a number: "--reps x" or "--reps 0" is refused with one line naming --reps
 * ```
 * @module
 */
import { parseArgs } from "node:util";

/** One option: its kind, default and help line. A `multiple` string option may be given again, adding a value; a
 * number option is checked against its range (and to be an integer, where `integer`) before the script runs. */
export type ScriptOption =
  | { type: "string"; default?: string; help: string }
  | { type: "string"; multiple: true; help: string }
  | { type: "number"; default?: number; min?: number; max?: number; integer?: boolean; help: string }
  | { type: "boolean"; help: string };

/** The parsed values: strings (undefined when the option has no default and was not given), lists, booleans. */
export type ScriptValues<T extends Record<string, ScriptOption>> = {
  [K in keyof T]: T[K] extends { type: "boolean" } ? boolean
    : T[K] extends { type: "number"; default: number } ? number
    : T[K] extends { type: "number" } ? number | undefined
    : T[K] extends { multiple: true } ? string[]
    : T[K] extends { default: string } ? string
    : string | undefined;
};

/** What a script says about itself. */
export interface ScriptSpec<T extends Record<string, ScriptOption>> {
  /** How it is run, without its arguments, e.g. "deno task bench train" or "deno run -A tools/study.ts". */
  command: string;
  /** One or two sentences: what it does and prints. */
  summary: string;
  options: T;
  /** The words it takes besides the options, as the usage line shows them (e.g. "[PATTERN…]"); none without. */
  positionals?: string;
  /** Lines printed after the options (what the positional words mean, examples). */
  notes?: string;
}

/** A parsed command line. */
export interface ScriptArgs<T extends Record<string, ScriptOption>> {
  values: ScriptValues<T>;
  positionals: string[];
}

/** A command line the script cannot run with; its message is one line and names what is wrong. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The usage text: the command, the summary and one line per option with its default. */
export function scriptUsage<T extends Record<string, ScriptOption>>(spec: ScriptSpec<T>): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = o.type === "string" ? `--${name} VALUE` : o.type === "number" ? `--${name} N` : `--${name}`;
    const more = "multiple" in o ? " (may be given again)" : "";
    const dflt = o.type !== "boolean" && "default" in o && o.default !== undefined ? ` (default ${o.default})` : "";
    return [flag, `${o.help}${more}${dflt}`];
  });
  rows.push(["--help, -h", "this text"]);
  const w = Math.max(...rows.map(([f]) => f.length));
  const words = spec.positionals ? ` ${spec.positionals}` : "";
  return `Usage: ${spec.command} [options]${words}\n${spec.summary}\n\nOptions:\n` +
    rows.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`).join("\n") + (spec.notes ? `\n\n${spec.notes}` : "");
}

/**
 * Parses `args` against `spec.options`, without printing or exiting: null when `--help` was asked, else the
 * values (defaults filled in) and the positional words; a bad command line throws a {@link UsageError}.
 */
export function parseScriptArgs<T extends Record<string, ScriptOption>>(
  args: string[],
  spec: ScriptSpec<T>,
): ScriptArgs<T> | null {
  type Option = { type: "string" | "boolean"; multiple?: boolean; default?: string | boolean | string[] };
  const options: Record<string, Option> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.type === "boolean") options[name] = { type: "boolean", default: false };
    else if ("multiple" in o) options[name] = { type: "string", multiple: true, default: [] };
    else options[name] = o.default === undefined ? { type: "string" } : { type: "string", default: String(o.default) };
  }
  let r;
  try {
    r = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: spec.positionals !== undefined,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (r.values.help) return null;
  delete r.values.help;
  const values: Record<string, unknown> = { ...r.values };
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.type === "number" && values[name] !== undefined) values[name] = numberValue(name, values[name] as string, o);
  }
  return { values: values as ScriptValues<T>, positionals: r.positionals };
}

/** A number option's value, or a {@link UsageError} naming the option, what it wants and what it got. */
function numberValue(name: string, text: string, o: { min?: number; max?: number; integer?: boolean }): number {
  const x = Number(text);
  const ok = text.trim() !== "" && Number.isFinite(x) && (!o.integer || Number.isInteger(x)) &&
    (o.min === undefined || x >= o.min) && (o.max === undefined || x <= o.max);
  if (ok) return x;
  const range = o.min !== undefined && o.max !== undefined
    ? ` in ${o.min}..${o.max}`
    : o.min !== undefined
    ? ` ≥ ${o.min}`
    : o.max !== undefined
    ? ` ≤ ${o.max}`
    : "";
  throw new UsageError(`--${name} must be ${o.integer ? "an integer" : "a number"}${range}, got "${text}"`);
}

/** Prints `message` as one line pointing at `--help` and exits 2. */
export function usageError(command: string, message: string): never {
  console.error(`error: ${message} (${command} --help lists the options)`);
  Deno.exit(2);
}

/**
 * {@link parseScriptArgs} for a script's main: `--help` prints the usage and exits 0, a bad command line prints
 * one line naming it (see {@link usageError}) and exits 2.
 */
export function scriptArgs<T extends Record<string, ScriptOption>>(args: string[], spec: ScriptSpec<T>): ScriptArgs<T> {
  let r;
  try {
    r = parseScriptArgs(args, spec);
  } catch (err) {
    if (err instanceof UsageError) usageError(spec.command, err.message);
    throw err;
  }
  if (r === null) {
    console.log(scriptUsage(spec));
    Deno.exit(0);
  }
  return r;
}
