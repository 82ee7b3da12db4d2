import assert from "node:assert/strict";
import { join } from "node:path";
import { modelDir, shippedModelDir } from "./shipped.ts";

Deno.test("--model fer2013 names the repository's models/fer2013 (holding a model.json); any other value is a folder", async () => {
  const dir = shippedModelDir("fer2013");
  assert.match(dir, /[/\\]models[/\\]fer2013$/);
  assert.ok((await Deno.stat(join(dir, "model.json"))).isFile);
  assert.equal(modelDir("fer2013"), dir);
  assert.equal(modelDir("outputs/runs/x/model"), "outputs/runs/x/model");
  assert.equal(modelDir("fer2013/"), "fer2013/", "a folder that merely looks like the name stays a folder");
});
