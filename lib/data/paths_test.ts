import assert from "node:assert/strict";
import { join } from "node:path";
import { datasetsRoot, projectRoot } from "./paths.ts";

Deno.test("project root holds deno.json; FER_DATA overrides the datasets root", () => {
  assert.ok(Deno.statSync(join(projectRoot(), "deno.json")).isFile);
  const before = Deno.env.get("FER_DATA");
  try {
    Deno.env.set("FER_DATA", "/tmp/somewhere");
    assert.equal(datasetsRoot(), "/tmp/somewhere");
  } finally {
    if (before === undefined) Deno.env.delete("FER_DATA");
    else Deno.env.set("FER_DATA", before);
  }
  const root = datasetsRoot();
  if (root !== null) assert.ok(Deno.statSync(root).isDirectory);
});
