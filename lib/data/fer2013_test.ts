import assert from "node:assert/strict";
import { join } from "node:path";
import { loadFer2013Csv, loadFer2013Folders, parsePixels, writeFer2013Csv } from "./fer2013.ts";
import { needsDataset, patternImage, writeTree } from "./fixtures.ts";
import { summarize } from "./summary.ts";
import { datasetDir } from "./paths.ts";
import { pickSplit } from "./routing.ts";

Deno.test("FER2013 folders: official split names and the train/test variant", async () => {
  const root = await writeTree({
    "Training/angry/Training_1.jpg": patternImage(1, 48),
    "Training/sad/Training_2.jpg": patternImage(2, 48),
    "PublicTest/neutral/PublicTest_3.jpg": patternImage(3, 48),
    "PrivateTest/happy/PrivateTest_4.jpg": patternImage(4, 48),
  });
  const ds = loadFer2013Folders({ root });
  assert.deepEqual(ds.classes, ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]);
  assert.deepEqual(ds.samples.map((s) => [s.split, s.label]), [
    ["PrivateTest", 3],
    ["PublicTest", 6],
    ["Training", 0],
    ["Training", 4],
  ]);
  assert.equal(loadFer2013Folders({ root, splits: ["PublicTest"] }).samples.length, 1);
  assert.throws(() => loadFer2013Folders({ root, splits: ["Validation"] }), /unknown FER2013 split "Validation"/);
  await Deno.remove(root, { recursive: true });

  const kaggle = await writeTree({
    "train/fear/Training_9.jpg": patternImage(9, 48),
    "test/surprise/PublicTest_7.jpg": patternImage(7, 48),
    "test/surprise/PrivateTest_8.jpg": patternImage(8, 48),
  });
  const k = loadFer2013Folders({ root: kaggle });
  assert.deepEqual(k.samples.map((s) => s.split), ["PrivateTest", "PublicTest", "Training"]);
  await Deno.writeFile(join(kaggle, "test/surprise/img_1.jpg"), await Deno.readFile(k.samples[0].path));
  assert.throws(() => loadFer2013Folders({ root: kaggle }), /img_1\.jpg: files in a FER2013 test folder must be named/);
  await Deno.remove(join(kaggle, "test/surprise/img_1.jpg"));
  await Deno.mkdir(join(kaggle, "validation"));
  assert.throws(
    () => loadFer2013Folders({ root: kaggle }),
    /validation: unknown FER2013 split folder; expected Training/,
  );
  await Deno.remove(kaggle, { recursive: true });
});

Deno.test("FER2013 csv: rows load as 48x48 pixels with emotion code as label", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "fer2013.csv");
  const rows = [0, 3, 6].map((e, i) => ({
    emotion: e,
    pixels: patternImage(i, 48).data,
    usage: ["Training", "PublicTest", "PrivateTest"][i],
  }));
  writeFer2013Csv(path, rows);
  const ds = loadFer2013Csv({ path });
  assert.deepEqual(ds.samples.map((s) => [s.path, s.label, s.split]), [
    [`${path}#row=0`, 0, "Training"],
    [`${path}#row=1`, 3, "PublicTest"],
    [`${path}#row=2`, 6, "PrivateTest"],
  ]);
  assert.deepEqual((await ds.load(ds.samples[1])).data, rows[1].pixels);
  assert.equal((await ds.load(ds.samples[1], { size: 24 })).data.length, 576);
  assert.equal(loadFer2013Csv({ path, splits: ["PrivateTest"] }).samples.length, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("FER2013 csv errors name the file, row and what was expected", async () => {
  const dir = await Deno.makeTempDir();
  const p = join(dir, "bad.csv");
  const px = Array(2304).fill(7).join(" ");
  await Deno.writeTextFile(p, `label,pixels,Usage\n0,${px},Training\n`);
  assert.throws(
    () => loadFer2013Csv({ path: p }),
    /bad\.csv: wrong FER2013 csv header "label,pixels,Usage"; expected "emotion,pixels,Usage"/,
  );
  await Deno.writeTextFile(p, `emotion,pixels,Usage\n0,${px},Training\n1,${px} 8,Training\n`);
  assert.throws(() => loadFer2013Csv({ path: p }), /bad\.csv row 1 \(line 3\): pixels has 2305 values; expected 2304/);
  await Deno.writeTextFile(p, `emotion,pixels,Usage\n9,${px},Training\n`);
  assert.throws(() => loadFer2013Csv({ path: p }), /row 0 \(line 2\): emotion "9"; expected an integer 0\.\.6/);
  await Deno.writeTextFile(p, `emotion,pixels,Usage\n1,${px},Valid\n`);
  assert.throws(() => loadFer2013Csv({ path: p }), /Usage "Valid"; expected Training, PublicTest, PrivateTest/);
  assert.throws(() => parsePixels("1 2 300", "r"), /r: pixel value 300 at position 2; expected 0\.\.255/);
  assert.throws(() => parsePixels("1 x 3", "r"), /unexpected character "x"/);
  assert.throws(() => loadFer2013Csv({ path: join(dir, "missing.csv") }), /missing\.csv: cannot read FER2013 csv/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  ...needsDataset("fer2013", "real FER2013: Training 28709 and PublicTest 3589 with the README's per-class counts"),
  fn() {
    const s = summarize(loadFer2013Folders({ root: datasetDir("fer2013")! }));
    const [train, pub] = s.splits;
    assert.deepEqual([train.split, train.total, pub.split, pub.total], ["Training", 28709, "PublicTest", 3589]);
    assert.deepEqual(train.counts, {
      angry: 3995,
      disgust: 436,
      fear: 4097,
      happy: 7215,
      sad: 4830,
      surprise: 3171,
      neutral: 4965,
    });
    assert.deepEqual(pub.counts, {
      angry: 467,
      disgust: 56,
      fear: 496,
      happy: 895,
      sad: 653,
      surprise: 415,
      neutral: 607,
    });
  },
});

Deno.test({
  ...needsDataset("fer2013", "a csv written from real FER2013 images round-trips through the csv loader"),
  async fn() {
    const ds = loadFer2013Folders({ root: datasetDir("fer2013")!, splits: ["PublicTest"] });
    const picks = pickSplit(ds, "PublicTest").filter((_, i) => i % 500 === 0);
    const rows = [];
    for (const i of picks) {
      rows.push({ emotion: ds.samples[i].label, pixels: (await ds.load(ds.samples[i])).data, usage: "PublicTest" });
    }
    const dir = await Deno.makeTempDir();
    const path = join(dir, "fer2013.csv");
    writeFer2013Csv(path, rows);
    assert.equal((await Deno.readTextFile(path)).split("\n")[0], "emotion,pixels,Usage");
    const back = loadFer2013Csv({ path });
    assert.equal(back.samples.length, picks.length);
    assert.ok(new Set(rows.map((r) => r.emotion)).size >= 3, "several classes in the sample");
    for (let j = 0; j < rows.length; j++) {
      assert.equal(back.samples[j].label, rows[j].emotion);
      assert.deepEqual((await back.load(back.samples[j])).data, rows[j].pixels);
    }
    await Deno.remove(dir, { recursive: true });
  },
});
