/**
 * The shape of one CLI command, and the one way its flags are declared and read: a flag table (the shared
 * groups below spread into it) parsed by {@link flags}, which answers --help, reads old spellings with a
 * notice, and refuses unknown flags; numbers go through {@link numberFlag}, whose errors name the flag.
 *
 * @example
 * ```ts
 * export const command: Command = {
 *   name: "lbp",
 *   summary: "LBP code image of one picture",
 *   async run(args) {
 *     const f = flags(args, { points: { type: "string" } }, { help: "usage: deno task fer lbp --points P" });
 *     if (!f) return 0; // --help was printed
 *     const points = numberFlag(f.values.points, "points", { integer: true, min: 1 }) ?? 8;
 *     return 0;
 *   },
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

/** A command's flags, as node:util's parseArgs declares them. */
export type FlagTable = NonNullable<ParseArgsConfig["options"]>;

/** The data a command reads: `--dataset KIND --root DIR --n N` (datasetFlagsSpec in dataset_flags.ts reads them). */
export const DATA_FLAGS = {
  dataset: { type: "string" },
  root: { type: "string" },
  n: { type: "string" },
} as const;

/** Where a model runs (lib/backend/runtime.ts parses them, with its defaults). */
export const RUNTIME_FLAGS = {
  backend: { type: "string" },
  device: { type: "string" },
  precision: { type: "string" },
} as const;

/** The folder of run records (default outputs/runs). */
export const RUNS_FLAG = { "runs-dir": { type: "string" } } as const;

const HELP_FLAG = { help: { type: "boolean", short: "h" } } as const;

/** Old flag names still read, each with the name it became (a one-line notice says so). */
export const RENAMED: Readonly<Record<string, string>> = { runs: "runs-dir" };

/** How {@link flags} reads a command line. */
export interface FlagsOptions {
  /** Printed for --help (-h). */
  help: string;
  /** Arguments that are not flags are allowed (file names, a table id). */
  positionals?: boolean;
  /** This command's own old spellings (old name → new name), besides {@link RENAMED}. */
  renamed?: Record<string, string>;
}

/**
 * Parses `args` against `table` (plus --help): strict, so an unknown flag is an error that names it. An old
 * spelling is read as its new name, with a one-line notice on stderr. Returns null when --help was asked,
 * after printing the help.
 */
export function flags<T extends FlagTable>(args: string[], table: T, o: FlagsOptions) {
  const renamed = { ...RENAMED, ...o.renamed };
  const now = args.map((a) => {
    const m = /^--([\w-]+)(=.*)?$/.exec(a);
    const to = m && !(m[1] in table) ? renamed[m[1]] : undefined;
    if (to === undefined) return a;
    console.error(`note: --${m![1]} is now --${to}`);
    return `--${to}${m![2] ?? ""}`;
  });
  const r = parseArgs({
    args: now,
    options: { ...table, ...HELP_FLAG },
    allowPositionals: o.positionals ?? false,
    strict: true,
  });
  if ((r.values as { help?: boolean }).help) {
    console.log(o.help);
    return null;
  }
  return r;
}

/** What {@link numberFlag} accepts besides any finite number. */
export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  /** At least this. */
  min?: number;
  /** Above zero. */
  positive?: boolean;
}

/**
 * The one number parser of the command line: a flag's text as a number (undefined when the flag was not
 * given), or an error naming the flag and what it must be.
 *
 * @example
 * ```ts
 * numberFlag("3", "folds", { integer: true, min: 2 }); // 3
 * numberFlag("1", "folds", { integer: true, min: 2 }); // throws: --folds must be an integer of at least 2, got "1"
 * ```
 */
export function numberFlag(v: string | undefined, flag: string, rule: NumberRule = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === "" ? NaN : Number(v);
  const ok = Number.isFinite(n) && (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) && (!rule.positive || n > 0);
  if (ok) return n;
  const what = rule.integer
    ? rule.min === 1
      ? "a positive integer"
      : rule.min !== undefined
      ? `an integer of at least ${rule.min}`
      : "an integer"
    : rule.positive
    ? "a positive number"
    : rule.min !== undefined
    ? `a number >= ${rule.min}`
    : "a number";
  throw new Error(`--${flag} must be ${what}, got "${v}"`);
}

/** Reads a required string option or throws an error naming the flag. */
export function required(values: Record<string, unknown>, flag: string): string {
  const v = values[flag];
  if (typeof v !== "string" || v === "") throw new Error(`missing required option --${flag}`);
  return v;
}

/** `s` when it is one of `allowed` (undefined when not given); else an error naming the flag. */
export function oneOf<T extends string>(s: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (s === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(s)) {
    throw new Error(`--${flag} must be one of ${allowed.join(", ")}, got "${s}"`);
  }
  return s as T;
}
