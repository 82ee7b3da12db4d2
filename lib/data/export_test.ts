import assert from "node:assert/strict";
import { join } from "node:path";
import { exportDataset } from "./export.ts";
import { syntheticDataset } from "./synthetic.ts";
import { loadFolder } from "./folder.ts";
import { decodeImage } from "./image.ts";

Deno.test("exported synthetic set reloads through the folder loader, pixel for pixel, with its masks", async () => {
  const out = await Deno.makeTempDir();
  const ds = syntheticDataset({ n: 14, seed: 8 });
  const rows = await exportDataset(ds, { out });
  const back = loadFolder({ root: join(out, "images") });
  assert.deepEqual(back.classes, ds.classes);
  assert.equal(back.samples.length, 14);
  const first = rows[0];
  assert.equal(first.subject, "s0");
  assert.deepEqual((await decodeImage(join(out, first.file))).data, (await ds.load(ds.samples[0])).data);
  assert.deepEqual((await decodeImage(join(out, first.mask!))).data, (await ds.loadMask!(ds.samples[0])).data);
  const manifest = JSON.parse(await Deno.readTextFile(join(out, "samples.json")));
  assert.equal(manifest.length, 14);
  assert.equal(manifest[13].className, "neutral");
  await Deno.remove(out, { recursive: true });
});
