import assert from "node:assert/strict";
import { join } from "node:path";
import { loadJaffe } from "./jaffe.ts";
import { patternImage, writeTree } from "./fixtures.ts";

Deno.test("JAFFE TIFF names give subject and expression; pixels decode exactly", async () => {
  const root = await writeTree({
    "KA.AN1.39.tiff": patternImage(1, 16),
    "KA.HA2.30.tiff": patternImage(2, 16),
    "YM.NE3.51.tiff": patternImage(3, 16),
    "TM.SU1.184.tif": patternImage(4, 16),
    "README": "not an image",
  });
  const ds = loadJaffe({ root });
  assert.deepEqual(ds.classes, ["angry", "happy", "surprise", "neutral"]);
  assert.deepEqual(ds.samples.map((s) => [s.subject, ds.classes[s.label]]), [
    ["KA", "angry"],
    ["KA", "happy"],
    ["TM", "surprise"],
    ["YM", "neutral"],
  ]);
  assert.deepEqual((await ds.load(ds.samples[3])).data, patternImage(3, 16).data);
  assert.equal((await ds.load(ds.samples[0], { size: 8 })).data.length, 64);
  await Deno.writeTextFile(join(root, "KA.XX1.40.tiff"), "x");
  assert.throws(() => loadJaffe({ root }), /KA\.XX1\.40\.tiff: expected a JAFFE name like KA\.AN1\.39\.tiff/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a corrupt JAFFE TIFF fails on load with the file named", async () => {
  const root = await writeTree({ "KA.AN1.39.tiff": "II*\u0000garbage" });
  const ds = loadJaffe({ root });
  await assert.rejects(ds.load(ds.samples[0]), /KA\.AN1\.39\.tiff: corrupt or unreadable image; expected a valid/);
  await Deno.remove(root, { recursive: true });
});
