import assert from "node:assert/strict";
import { loadFolder } from "./folder.ts";
import { patternImage, writeTree } from "./fixtures.ts";

Deno.test("generic folder maps aliases to canonical classes in toolkit order", async () => {
  const root = await writeTree({
    "Surprised/a.png": patternImage(1),
    "happiness/b.jpg": patternImage(2),
    "happiness/c.bmp": patternImage(3),
    "anger/d.tiff": patternImage(4),
    "notes.txt": "ignored: files at the top level are not classes",
  });
  const ds = loadFolder({ root });
  assert.deepEqual(ds.classes, ["angry", "happy", "surprise"]);
  assert.deepEqual(ds.samples.map((s) => ds.classes[s.label]), ["angry", "happy", "happy", "surprise"]);
  const img = await ds.load(ds.samples[0], { size: 4 });
  assert.deepEqual([img.width, img.height], [4, 4]);
  const exact = await ds.load(ds.samples[2]);
  assert.deepEqual(exact.data, patternImage(3).data);
  await Deno.remove(root, { recursive: true });
});

Deno.test("unknown class folder, stray file and missing root are errors naming the path", async () => {
  const root = await writeTree({ "bored/a.png": patternImage(1) });
  assert.throws(() => loadFolder({ root }), /bored: class folder: unknown expression "bored"; expected one of/);
  await Deno.remove(root, { recursive: true });
  const r2 = await writeTree({ "happy/a.png": patternImage(1), "happy/readme.txt": "x" });
  assert.throws(() => loadFolder({ root: r2 }), /readme\.txt: expected only image files/);
  await Deno.remove(r2, { recursive: true });
  assert.throws(() => loadFolder({ root: "/no/such/dir" }), /\/no\/such\/dir: dataset root .* does not exist/);
});
