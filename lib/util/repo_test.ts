import assert from "node:assert/strict";
import { repoPath, repoRelative, repoRoot } from "./repo.ts";

Deno.test("repoRoot holds lib/; repoRelative rewrites paths inside it, in paths and in text, and nothing else", async () => {
  const root = repoRoot();
  assert.ok((await Deno.stat(`${root}/lib/util/repo.ts`)).isFile);
  assert.equal(repoRelative(`${root}/outputs/runs/x`), "outputs/runs/x");
  assert.equal(repoRelative(root), ".");
  assert.equal(
    repoRelative(`mode: full; run records: ${root}/outputs/runs; tables: ${root}/outputs/tables`),
    "mode: full; run records: outputs/runs; tables: outputs/tables",
  );
  assert.equal(repoRelative(`${root}-other/file`), `${root}-other/file`, "a sibling folder is not inside");
  assert.equal(repoRelative("/usr/lib/x.so"), "/usr/lib/x.so");
  assert.equal(repoPath(`${root}/../shared/datasets`), "../shared/datasets");
  assert.equal(repoPath(`${root}/outputs/`), "outputs");
  assert.equal(repoPath(root), ".");
});
