import assert from "node:assert/strict";
import { join } from "node:path";
import { contentHash } from "./content_hash.ts";
import { patternImage, writeTree } from "./fixtures.ts";
import { loadFolder } from "./folder.ts";
import { encodeBmp } from "./bmp.ts";

const TREE = { "happy/a.bmp": patternImage(1), "happy/b.bmp": patternImage(2), "sad/c.bmp": patternImage(3) };

Deno.test("content hash: the same pictures anywhere hash the same; a changed byte, label or missing file does not", async () => {
  const a = await writeTree(TREE), b = await writeTree(TREE);
  const h = await contentHash(loadFolder({ root: a }));
  assert.match(h, /^[0-9a-f]{16}$/);
  assert.equal(await contentHash(loadFolder({ root: b })), h, "a copy in another folder");

  const img = patternImage(2);
  img.data[5] ^= 1;
  await Deno.writeFile(join(b, "happy/b.bmp"), encodeBmp(img));
  assert.notEqual(await contentHash(loadFolder({ root: b })), h, "one pixel changed");

  const ds = loadFolder({ root: a });
  const relabelled = { ...ds, samples: ds.samples.map((s, i) => i === 0 ? { ...s, label: 1 - s.label } : s) };
  assert.notEqual(await contentHash(relabelled), h, "one label changed");

  await Deno.remove(join(a, "sad/c.bmp"));
  await assert.rejects(() => contentHash(ds), /sad\/c\.bmp: cannot read it to hash the dataset/);
  await Deno.remove(a, { recursive: true });
  await Deno.remove(b, { recursive: true });
});

Deno.test("content hash: synthetic faces hash by their seeds and distractors", async () => {
  const s = (seed: number, root = `synthetic:${seed}`) => ({
    root,
    classes: ["happy", "sad"],
    samples: [0, 1].map((i) => ({ path: `synthetic:${seed}/${i}`, label: i })),
  });
  assert.equal(await contentHash(s(1)), await contentHash(s(1)));
  assert.notEqual(await contentHash(s(1)), await contentHash(s(2)));
  assert.notEqual(await contentHash(s(1)), await contentHash(s(1, "synthetic:1+clutter6")), "with distractors");
});
