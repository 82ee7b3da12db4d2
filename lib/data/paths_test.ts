import assert from "node:assert/strict";
import { join } from "node:path";
import { datasetsRoot, projectPath, projectRelative, projectRoot } from "./paths.ts";

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

Deno.test("projectRelative rewrites paths inside the project, in paths and in text; projectPath reaches outside", () => {
  const root = projectRoot();
  assert.equal(projectRelative(`${root}/outputs/runs/x`), "outputs/runs/x");
  assert.equal(projectRelative(root), ".");
  assert.equal(
    projectRelative(`mode: full; run records: ${root}/outputs/runs; tables: ${root}/outputs/tables`),
    "mode: full; run records: outputs/runs; tables: outputs/tables",
  );
  assert.equal(projectRelative(`${root}-other/file`), `${root}-other/file`, "a sibling folder is not inside");
  assert.equal(projectRelative("/usr/lib/x.so"), "/usr/lib/x.so");
  assert.equal(projectPath(`${root}/../shared/datasets`), "../shared/datasets");
  assert.equal(projectPath(`${root}/outputs/`), "outputs");
  assert.equal(projectPath(root), ".");
});
