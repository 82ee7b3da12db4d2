import assert from "node:assert/strict";
import { join } from "node:path";
import { readJsonFile } from "./json.ts";

Deno.test("readJsonFile parses a file and names the file, what it was meant to be and the cause when it cannot", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-json-" });
  try {
    await Deno.writeTextFile(join(dir, "ok.json"), '{"a":[1,2]}');
    assert.deepEqual(await readJsonFile(join(dir, "ok.json"), "a thing"), { a: [1, 2] });
    await Deno.writeTextFile(join(dir, "bad.json"), '{"a":');
    await assert.rejects(
      () => readJsonFile(join(dir, "bad.json"), "a study cell"),
      (e: Error) =>
        e.message.startsWith(`${join(dir, "bad.json")}: cannot read a study cell (`) && /JSON/.test(e.message),
    );
    await assert.rejects(
      () => readJsonFile(join(dir, "none.json"), "a run record"),
      (e: Error) => e.message.startsWith(`${join(dir, "none.json")}: cannot read a run record (No such file`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
