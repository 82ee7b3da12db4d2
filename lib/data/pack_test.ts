import assert from "node:assert/strict";
import { readPack, writePack } from "./pack.ts";
import { syntheticDataset } from "./synthetic.ts";

Deno.test("a pack reloads every sample's metadata and pixels exactly", async () => {
  const dir = await Deno.makeTempDir();
  const ds = syntheticDataset({ n: 21, size: 32, seed: 4 });
  await writePack(ds, { out: `${dir}/s.ferpack`, size: 24 });
  const back = await readPack(`${dir}/s.ferpack`);
  assert.equal(back.size, 24);
  assert.deepEqual(back.classes, ds.classes);
  assert.deepEqual(back.samples, ds.samples);
  for (const i of [0, 7, 20]) {
    const want = await ds.load(ds.samples[i], { size: 24 });
    assert.deepEqual((await back.load(back.samples[i])).data, want.data);
  }
  await assert.rejects(() => back.load(back.samples[0], { size: 48 }), /packed at 24x24, asked for 48/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a truncated or foreign file is refused with its name", async () => {
  const dir = await Deno.makeTempDir();
  await writePack(syntheticDataset({ n: 7, size: 16, seed: 1 }), { out: `${dir}/a.ferpack`, size: 16 });
  const bytes = await Deno.readFile(`${dir}/a.ferpack`);
  await Deno.writeFile(`${dir}/cut.ferpack`, bytes.subarray(0, bytes.length - 10));
  await assert.rejects(
    () => readPack(`${dir}/cut.ferpack`),
    /cut\.ferpack: 1782 pixel bytes, expected 7 samples × 256/,
  );
  await Deno.writeFile(`${dir}/x.ferpack`, new TextEncoder().encode("P5 16 16 255\n"));
  await assert.rejects(() => readPack(`${dir}/x.ferpack`), /x\.ferpack: not a dataset pack/);
  await assert.rejects(() => readPack(`${dir}/none.ferpack`), /none\.ferpack: cannot read dataset pack/);
  await Deno.remove(dir, { recursive: true });
});
