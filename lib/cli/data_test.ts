import assert from "node:assert/strict";
import { join } from "node:path";
import { command, foldReport } from "./data.ts";
import { readPack } from "../data/pack.ts";
import { main } from "./main.ts";
import { datasetDir } from "../data/paths.ts";
import { needsDataset } from "../data/fixtures.ts";
import { syntheticDataset } from "../data/synthetic.ts";
import { captureLog } from "./testing.ts";

Deno.test("data summary --json on synthetic data reports counts and subject folds", async () => {
  const { code, out } = await captureLog(() =>
    main([
      "data",
      "summary",
      "--dataset",
      "synthetic",
      "--n",
      "140",
      "--seed",
      "2",
      "--json",
      "--folds",
      "5",
      "--by",
      "subject",
    ])
  );
  assert.equal(code, 0);
  const j = JSON.parse(out);
  assert.equal(j.total, 140);
  assert.equal(j.subjects, 7);
  assert.deepEqual(j.splits[0].counts.happy, 20);
  assert.equal(j.folds.sizes.reduce((a: number, b: number) => a + b, 0), 140);
  assert.deepEqual(j.folds.overlap, []);
});

Deno.test("text output prints the table and the overlap verdict; bad flags are named", async () => {
  const { code, out } = await captureLog(() =>
    command.run(["summary", "--dataset", "synthetic", "--n", "70", "--folds", "5", "--by", "subject"])
  );
  assert.equal(code, 0);
  assert.match(out, /synthetic at synthetic:0: 70 images, 7 classes, 5 subjects/);
  assert.match(out, /fold 4: 14 images/);
  assert.match(out, /subject overlap: none/);
  await assert.rejects(command.run(["summary", "--dataset", "synthetic", "--by", "subject"]), /--by needs --folds/);
  await assert.rejects(command.run(["summary", "--dataset", "synthetic", "--n", "x"]), /--n must be an integer/);
  await assert.rejects(command.run(["frobnicate"]), /unknown subcommand "frobnicate"/);
  const random = foldReport(syntheticDataset({ n: 140 }), { k: 5, by: "random", seed: 0 });
  assert.ok(random.overlap.length > 0, "random folds mix subjects, and the report says so");
});

Deno.test("data export writes the synthetic set with masks", async () => {
  const out = await Deno.makeTempDir();
  const { code, out: text } = await captureLog(() =>
    command.run(["export", "--dataset", "synthetic", "--n", "7", "--size", "32", "--out", out])
  );
  assert.equal(code, 0);
  assert.match(text, /wrote 7 images and masks of synthetic/);
  assert.equal(JSON.parse(await Deno.readTextFile(join(out, "samples.json"))).length, 7);
  assert.ok((await Deno.stat(join(out, "masks", "happy", "3.png"))).isFile);
  await assert.rejects(command.run(["export", "--dataset", "synthetic", "--n", "7"]), /missing required option --out/);
  await Deno.remove(out, { recursive: true });
});

Deno.test({
  ...needsDataset("fer2013", "CLI on real FER2013 --json reports the README's split totals"),
  async fn() {
    const { code, out } = await captureLog(() =>
      main(["data", "summary", "--dataset", "fer2013", "--root", datasetDir("fer2013")!, "--json"])
    );
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.deepEqual(j.splits.map((s: { split: string; total: number }) => [s.split, s.total]), [["Training", 28709], [
      "PublicTest",
      3589,
    ]]);
    assert.equal(j.splits[1].counts.disgust, 56);
  },
});

Deno.test("data pack writes a pack that reads back with the dataset's samples", async () => {
  const dir = await Deno.makeTempDir();
  const code = await command.run([
    "pack",
    "--dataset",
    "synthetic",
    "--n",
    "14",
    "--seed",
    "3",
    "--size",
    "24",
    "--out",
    `${dir}/s.ferpack`,
  ]);
  assert.equal(code, 0);
  const back = await readPack(`${dir}/s.ferpack`);
  assert.equal(back.samples.length, 14);
  assert.equal(back.size, 24);
  assert.equal((await back.load(back.samples[13])).data.length, 24 * 24);
  await assert.rejects(command.run(["pack", "--dataset", "synthetic", "--n", "7"]), /--out/);
  await Deno.remove(dir, { recursive: true });
});
