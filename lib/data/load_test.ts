import assert from "node:assert/strict";
import { join } from "node:path";
import { loadDataset } from "./load.ts";
import { patternImage, writeTree } from "./fixtures.ts";
import { writeFer2013Csv } from "./fer2013.ts";

Deno.test("loadDataset dispatches every kind and names a missing or absent root", async () => {
  const root = await writeTree({
    "folder/happy/a.png": patternImage(1),
    "jaffe/KA.AN1.39.tiff": patternImage(2),
    "oulu/VIS/Strong/P001/Anger/000.jpeg": patternImage(3),
    "seq/s1/sad/000.png": patternImage(4),
    "ck/anger/S010_004_00000017.png": patternImage(5),
    "fer/Training/happy/Training_1.jpg": patternImage(6, 48),
  });
  writeFer2013Csv(join(root, "fer.csv"), [{ emotion: 5, pixels: patternImage(7, 48).data, usage: "Training" }]);
  const cases = [
    ["folder", "folder", "happy"],
    ["jaffe", "jaffe", "angry"],
    ["oulu", "oulu", "angry"],
    ["sequences", "seq", "sad"],
    ["ckplus", "ck", "angry"],
    ["fer2013", "fer", "happy"],
    ["fer2013", "fer.csv", "surprise"],
  ] as const;
  for (const [kind, dir, cls] of cases) {
    const ds = await loadDataset({ dataset: kind, root: join(root, dir) });
    assert.equal(ds.samples.length, 1, `${kind} ${dir}`);
    assert.equal(ds.classes[ds.samples[0].label], cls, `${kind} ${dir}`);
    assert.ok((await ds.load(ds.samples[0], { size: 6 })).data.length === 36);
  }
  const syn = await loadDataset({ dataset: "synthetic", n: 14, seed: 3, size: 32 });
  assert.equal((await syn.load(syn.samples[0])).width, 32);
  await assert.rejects(loadDataset({ dataset: "jaffe" }), /dataset jaffe needs a root folder/);
  await assert.rejects(
    loadDataset({ dataset: "ckplus", root: join(root, "nope") }),
    /nope: CK\+ root .* does not exist/,
  );
  await assert.rejects(
    loadDataset({ dataset: "affectnet" as unknown as "folder", root }),
    /unknown dataset "affectnet"; expected one of fer2013/,
  );
  await Deno.remove(root, { recursive: true });
});
