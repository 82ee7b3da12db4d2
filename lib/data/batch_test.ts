import assert from "node:assert/strict";
import { loadImages } from "./batch.ts";
import { syntheticDataset } from "./synthetic.ts";
import { loadFolder } from "./folder.ts";
import { patternImage, writeTree } from "./fixtures.ts";

Deno.test("loadImages packs chosen samples in order, with labels and masks", async () => {
  const ds = syntheticDataset({ n: 21, seed: 4 });
  const b = await loadImages(ds, { indices: [5, 0, 13], size: 32, masks: true });
  assert.deepEqual([b.count, b.size, b.pixels.length], [3, 32, 3 * 1024]);
  assert.deepEqual([...b.labels], [5, 0, 6]);
  assert.deepEqual(b.pixels.subarray(1024, 2048), (await ds.load(ds.samples[0], { size: 32 })).data);
  assert.deepEqual(b.masks!.subarray(2048), (await ds.loadMask!(ds.samples[13], { size: 32 })).data);
  await assert.rejects(loadImages(ds, { indices: [21], size: 8 }), /sample index 21 out of range/);
});

Deno.test("loadImages stops at a corrupt file and names it", async () => {
  const root = await writeTree({ "happy/a.png": patternImage(1), "happy/b.png": "not a png" });
  const ds = loadFolder({ root });
  await assert.rejects(loadImages(ds, { size: 8, concurrency: 1 }), /b\.png: corrupt or unreadable image/);
  await assert.rejects(loadImages(ds, { size: 8, masks: true }), /dataset folder has no masks/);
  await Deno.remove(root, { recursive: true });
});
