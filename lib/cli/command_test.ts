import assert from "node:assert/strict";
import { flags, numberFlag, oneOf, required } from "./command.ts";
import { captureLog } from "./testing.ts";

const TABLE = { root: { type: "string" }, json: { type: "boolean" }, "input-size": { type: "string" } } as const;

Deno.test("flags: one table, strict, --help answered, an old spelling read as its new name with a notice", async () => {
  const f = flags(["--root", "x", "--json"], TABLE, { help: "usage" });
  assert.deepEqual({ ...f!.values }, { root: "x", json: true });
  assert.equal(required(f!.values, "root"), "x");
  assert.throws(() => required(f!.values, "dataset"), /missing required option --dataset/);
  assert.throws(() => flags(["--bogus"], TABLE, { help: "" }), /bogus/);
  assert.throws(() => flags(["a.png"], TABLE, { help: "" }), /positional/);
  assert.deepEqual(flags(["a.png"], TABLE, { help: "", positionals: true })!.positionals, ["a.png"]);
  const { code, out } = await captureLog(() => Promise.resolve(flags(["-h"], TABLE, { help: "usage: x" }) ? 1 : 0));
  assert.deepEqual([code, out], [0, "usage: x"]);

  const notices: string[] = [], error = console.error;
  console.error = (...a: unknown[]) => notices.push(a.join(" "));
  try {
    const old = flags(["--size=16", "--runs", "r"], { ...TABLE, "runs-dir": { type: "string" } }, {
      help: "",
      renamed: { size: "input-size" },
    });
    assert.deepEqual({ ...old!.values }, { "input-size": "16", "runs-dir": "r" });
    // a command whose table has the old name keeps it (fer data's --size is an image side)
    assert.deepEqual({ ...flags(["--size", "3"], { size: { type: "string" } }, { help: "" })!.values }, { size: "3" });
  } finally {
    console.error = error;
  }
  assert.deepEqual(notices, ["note: --size is now --input-size", "note: --runs is now --runs-dir"]);
});

Deno.test("numberFlag: the one number parser; its errors name the flag and the rule", () => {
  assert.equal(numberFlag(undefined, "n"), undefined);
  assert.equal(numberFlag("1e-3", "lr"), 0.001);
  assert.equal(numberFlag("3", "folds", { integer: true, min: 2 }), 3);
  assert.throws(() => numberFlag("", "lr"), /^Error: --lr must be a number, got ""$/);
  assert.throws(() => numberFlag("x", "n", { integer: true }), /--n must be an integer, got "x"/);
  assert.throws(() => numberFlag("1.5", "n", { integer: true }), /--n must be an integer, got "1\.5"/);
  assert.throws(() => numberFlag("0", "seeds", { integer: true, min: 1 }), /--seeds must be a positive integer/);
  assert.throws(() => numberFlag("1", "folds", { integer: true, min: 2 }), /--folds must be an integer of at least 2/);
  assert.throws(() => numberFlag("0", "width", { positive: true }), /--width must be a positive number, got "0"/);
  assert.throws(() => numberFlag("-1", "tolerance", { min: 0 }), /--tolerance must be a number >= 0, got "-1"/);
  assert.equal(oneOf(undefined, "tta", ["none", "flip"]), undefined);
  assert.throws(() => oneOf("x", "tta", ["none", "flip"]), /--tta must be one of none, flip, got "x"/);
});
