import assert from "node:assert/strict";
import { join } from "node:path";
import { needsDataset } from "./fixtures.ts";
import { datasetDir, datasetsRoot, isDir, missingDataset, projectPath, projectRelative, projectRoot } from "./paths.ts";

/** Runs `fn` with FER_DATA set to `value` (deleted for undefined), restoring it after. */
function withFerData<T>(value: string | undefined, fn: () => T): T {
  const before = Deno.env.get("FER_DATA");
  try {
    if (value === undefined) Deno.env.delete("FER_DATA");
    else Deno.env.set("FER_DATA", value);
    return fn();
  } finally {
    if (before === undefined) Deno.env.delete("FER_DATA");
    else Deno.env.set("FER_DATA", before);
  }
}

Deno.test("the project root holds deno.json and lib/", () => {
  assert.ok(Deno.statSync(join(projectRoot(), "deno.json")).isFile);
  assert.ok(isDir(join(projectRoot(), "lib", "data")));
  assert.equal(isDir(join(projectRoot(), "deno.json")), false, "a file is not a folder");
  assert.equal(isDir(join(projectRoot(), "no-such-folder")), false);
});

Deno.test("FER_DATA names the datasets folder; a dataset is found in it or named as missing", () => {
  const root = Deno.makeTempDirSync();
  Deno.mkdirSync(join(root, "ckplus48"));
  withFerData(root, () => {
    assert.equal(datasetsRoot(), root);
    assert.equal(datasetDir("ckplus48"), join(root, "ckplus48"));
    assert.equal(missingDataset("ckplus48"), null);
    assert.equal(datasetDir("fer2013"), null);
    assert.equal(missingDataset("fer2013"), `no fer2013 in the datasets folder ${root}`);
    assert.deepEqual(needsDataset("ckplus48", "t"), { name: "t", ignore: false });
    assert.deepEqual(needsDataset("fer2013", "t"), {
      name: `t — skipped: no fer2013 in the datasets folder ${root}`,
      ignore: true,
    });
  });
  withFerData("relative/data", () => assert.equal(datasetsRoot(), join(Deno.cwd(), "relative/data")));
  Deno.removeSync(root, { recursive: true });
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
