import assert from "node:assert/strict";
import { main } from "./main.ts";
import { parse, required } from "./command.ts";

Deno.test("unknown command exits 2, option helpers name the flag", async () => {
  assert.equal(await main(["no-such-command"]), 2);
  const { values } = parse(["--root", "x"], { root: { type: "string" }, json: { type: "boolean" } });
  assert.equal(required(values, "root"), "x");
  assert.throws(() => required(values, "dataset"), /--dataset/);
  assert.throws(() => parse(["--bogus"], { root: { type: "string" } }), /bogus/);
});
