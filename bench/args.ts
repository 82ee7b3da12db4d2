/**
 * Command-line options of the benchmarks: each option declared once with its help line, `--help` printing them
 * (exit 0), and an unknown option or a missing value answered with the message and the usage (exit 2), not a
 * parseArgs stack trace.
 *
 * @example
 * ```ts
 * const o = benchArgs(Deno.args, {
 *   usage: "deno task bench lbp [options]",
 *   summary: "LBP speed here and in scikit-image.",
 *   options: { reps: { type: "string", default: "5", help: "passes per operator (best counts)" } },
 * });
 * Number(o.reps);
 * ```
 * @module
 */
import { parseArgs } from "node:util";

/** One option: its kind, default and help line. */
export type BenchOption =
  | { type: "string"; default?: string; help: string }
  | { type: "boolean"; help: string };

/** The parsed values: strings (or undefined when the option has no default) and booleans. */
export type BenchValues<T extends Record<string, BenchOption>> = {
  [K in keyof T]: T[K] extends { type: "boolean" } ? boolean : T[K] extends { default: string } ? string
  : string | undefined;
};

/** What a benchmark says about itself. */
export interface BenchSpec<T extends Record<string, BenchOption>> {
  /** The command line, e.g. "deno task bench train [options]". */
  usage: string;
  /** One or two sentences: what it measures and prints. */
  summary: string;
  options: T;
}

/** The usage text: the command, the summary and one line per option with its default. */
export function benchUsage<T extends Record<string, BenchOption>>(spec: BenchSpec<T>): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = o.type === "string" ? `--${name} VALUE` : `--${name}`;
    const dflt = o.type === "string" && o.default !== undefined ? ` (default ${o.default})` : "";
    return [flag, `${o.help}${dflt}`];
  });
  rows.push(["--help", "this text"]);
  const w = Math.max(...rows.map(([f]) => f.length));
  return `Usage: ${spec.usage}\n${spec.summary}\n\nOptions:\n` +
    rows.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`).join("\n");
}

/**
 * Parses `args` against `spec.options`; `--help` prints the usage and exits 0, a bad command line prints the
 * error and the usage and exits 2.
 */
export function benchArgs<T extends Record<string, BenchOption>>(args: string[], spec: BenchSpec<T>): BenchValues<T> {
  const options: Record<string, { type: "string" | "boolean"; default?: string | boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = o.type === "string" && o.default !== undefined ? { type: o.type, default: o.default } : {
      type: o.type,
      ...(o.type === "boolean" ? { default: false } : {}),
    };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: { ...options, help: { type: "boolean" } }, strict: true }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${benchUsage(spec)}`);
    Deno.exit(2);
  }
  if (values.help) {
    console.log(benchUsage(spec));
    Deno.exit(0);
  }
  delete values.help;
  return values as BenchValues<T>;
}
