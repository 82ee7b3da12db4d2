/**
 * tools/args.ts, the command line of the scripts in tools/, bench/ and web/ (tests/commands_help_test.ts runs
 * them). Here, beside the other tools' tests, since `deno task test` runs lib/ and tests/.
 *
 * @module
 */
import assert from "node:assert/strict";
import { parseScriptArgs, scriptUsage, UsageError } from "../tools/args.ts";

const SPEC = {
  command: "deno task demo-tool",
  summary: "A tool for the test.",
  options: {
    sizes: { type: "string", default: "48,96", help: "input sizes" },
    out: { type: "string", help: "the record to write" },
    pack: { type: "string", multiple: true, help: "a pack" },
    fast: { type: "boolean", help: "small data" },
  },
} as const;

Deno.test("parseScriptArgs fills defaults, collects a repeated option and reads booleans", () => {
  assert.deepEqual(parseScriptArgs([], SPEC), {
    values: { sizes: "48,96", pack: [], fast: false },
    positionals: [],
  });
  const r = parseScriptArgs(["--sizes=32", "--pack", "a", "--pack", "b", "--fast", "--out", "x.json"], SPEC);
  assert.deepEqual(r, { values: { sizes: "32", pack: ["a", "b"], fast: true, out: "x.json" }, positionals: [] });
});

Deno.test("parseScriptArgs answers --help and -h with null, whatever else is on the line", () => {
  assert.equal(parseScriptArgs(["--help"], SPEC), null);
  assert.equal(parseScriptArgs(["--fast", "-h"], SPEC), null);
});

Deno.test("a bad command line is a one-line UsageError naming the bad word", () => {
  const cases: [string[], RegExp][] = [
    [["--no-such"], /^Unknown option '--no-such'$/],
    [["--out"], /^Option '--out <value>' argument missing$/],
    [["--fast=yes"], /^Option '--fast' does not take an argument$/],
    [["stray"], /^Unexpected argument 'stray'/],
  ];
  for (const [args, msg] of cases) {
    assert.throws(() => parseScriptArgs(args, SPEC), (e: Error) => {
      assert.ok(e instanceof UsageError, `${args}: ${e}`);
      assert.match(e.message, msg);
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    });
  }
});

Deno.test("positional words are returned only where the spec declares them", () => {
  const spec = { ...SPEC, positionals: "[PATTERN…]" };
  assert.deepEqual(parseScriptArgs(["02", "--fast", "03"], spec)?.positionals, ["02", "03"]);
});

Deno.test("scriptUsage lists every option with its default, --help, the positionals and the notes", () => {
  const text = scriptUsage({ ...SPEC, positionals: "[PATTERN]", notes: "PATTERN: a name filter." });
  assert.equal(
    text,
    `Usage: deno task demo-tool [options] [PATTERN]
A tool for the test.

Options:
  --sizes VALUE  input sizes (default 48,96)
  --out VALUE    the record to write
  --pack VALUE   a pack (may be given again)
  --fast         small data
  --help, -h     this text

PATTERN: a name filter.`,
  );
});

Deno.test("number options are numbers, checked against their range before the script runs", () => {
  const spec = {
    command: "deno task demo-tool",
    summary: "A tool for the test.",
    options: {
      reps: { type: "number", default: 5, min: 1, integer: true, help: "passes" },
      iou: { type: "number", default: 0.4, min: 0.05, max: 1, help: "overlap" },
      limit: { type: "number", min: 1, help: "images" },
    },
  } as const;
  assert.deepEqual(parseScriptArgs([], spec)?.values, { reps: 5, iou: 0.4 });
  assert.deepEqual(parseScriptArgs(["--reps", "3", "--iou=1", "--limit", "1e3"], spec)?.values, {
    reps: 3,
    iou: 1,
    limit: 1000,
  });
  const bad: [string[], string][] = [
    [["--reps", "x"], `--reps must be an integer ≥ 1, got "x"`],
    [["--reps", "2.5"], `--reps must be an integer ≥ 1, got "2.5"`],
    [["--reps", "0"], `--reps must be an integer ≥ 1, got "0"`],
    [["--iou", "1.5"], `--iou must be a number in 0.05..1, got "1.5"`],
    [["--limit", ""], `--limit must be a number ≥ 1, got ""`],
  ];
  for (const [args, msg] of bad) {
    assert.throws(() => parseScriptArgs(args, spec), (e: Error) => e instanceof UsageError && e.message === msg);
  }
  assert.match(scriptUsage(spec), /--reps N +passes \(default 5\)/);
});
