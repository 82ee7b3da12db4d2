import assert from "node:assert/strict";
import { checkNotebooks, flattenNotebook, mapLocations } from "../tools/check_notebooks.ts";

const KERNEL = { name: "deno", display_name: "Deno", language: "typescript" };
const nb = (sources: string[]) => ({
  cells: [{ cell_type: "markdown", source: "# t" }, ...sources.map((s) => ({ cell_type: "code", source: s }))],
  metadata: { kernelspec: KERNEL },
});

Deno.test("flattenNotebook concatenates code cells with a line map; magics are rejected", () => {
  const flat = flattenNotebook(nb(["const a = 1;\na + 1", "a * 2"]), "x.ipynb");
  const lines = flat.code.split("\n");
  assert.equal(lines[2], "a + 1");
  assert.deepEqual(flat.origins[2], { cell: 1, line: 2 });
  assert.equal(lines[5], "a * 2");
  assert.deepEqual(flat.origins[5], { cell: 2, line: 1 });
  assert.throws(() => flattenNotebook(nb(["%time 1"]), "m.ipynb"), /m\.ipynb: cell 1 line 1 is a magic/);
  const python = { ...nb(["1"]), metadata: { kernelspec: { ...KERNEL, name: "python3" } } };
  assert.throws(() => flattenNotebook(python, "p.ipynb"), /p\.ipynb: metadata\.kernelspec must be .*"python3"/);
  assert.equal(
    mapLocations("at file:///d/.x.check.ts:6:3", "/d/.x.check.ts", "nb/x.ipynb", flat.origins),
    "at nb/x.ipynb cell 2 line 1:3",
  );
});

Deno.test("checkNotebooks passes good code and reports a type error with notebook, cell and line", async () => {
  const dir = await Deno.makeTempDir({ dir: new URL("../notebooks", import.meta.url).pathname, prefix: ".tmp-" });
  try {
    await Deno.writeTextFile(`${dir}/good.ipynb`, JSON.stringify(nb(["const n: number = 2;", "n * 3"])));
    await Deno.writeTextFile(
      `${dir}/bad.ipynb`,
      JSON.stringify(nb(["const n: number = 2;", "\nconst s: string = n;"])),
    );
    const errors: string[] = [];
    const err = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(" "));
    let failed: number;
    try {
      failed = await checkNotebooks([`${dir}/good.ipynb`, `${dir}/bad.ipynb`]);
    } finally {
      console.error = err;
    }
    assert.equal(failed, 1);
    const report = errors.join("\n");
    assert.match(report, /type check failed: .*bad\.ipynb/);
    assert.doesNotMatch(report, /failed: .*good\.ipynb/);
    assert.match(report, /TS2322/);
    assert.match(report, /bad\.ipynb cell 2 line 2:7/);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, ["bad.ipynb", "good.ipynb"], "temporary .check.ts files removed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
