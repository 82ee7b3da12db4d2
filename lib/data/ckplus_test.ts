import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCkPlus } from "./ckplus.ts";
import { needsDataset, patternImage, writeTree } from "./fixtures.ts";
import { datasetDir } from "./paths.ts";
import { summarize } from "./summary.ts";
import { kFold, subjectOverlap } from "./routing.ts";

Deno.test("CK+48 layout: class folders, subject and sequence from S###_NNN_ names", async () => {
  const root = await writeTree({
    "anger/S010_004_00000017.png": patternImage(1),
    "anger/S010_004_00000018.png": patternImage(2),
    "contempt/S011_002_00000020.png": patternImage(3),
    "happy/S011_006_00000008.png": patternImage(4),
  });
  const ds = loadCkPlus({ root });
  assert.deepEqual(ds.classes, ["angry", "happy", "contempt"]);
  assert.deepEqual(ds.samples.map((s) => [ds.classes[s.label], s.subject, s.sequence]), [
    ["angry", "S010", "S010_004"],
    ["angry", "S010", "S010_004"],
    ["contempt", "S011", "S011_002"],
    ["happy", "S011", "S011_006"],
  ]);
  assert.deepEqual(loadCkPlus({ root, dropContempt: true }).classes, ["angry", "happy"]);
  await Deno.writeFile(join(root, "happy/face.png"), await Deno.readFile(ds.samples[0].path));
  assert.throws(() => loadCkPlus({ root }), /face\.png: expected a CK\+48 file name like S010_004_00000017\.png/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("original CK+: last k frames of each labelled sequence, unlabelled sequences skipped", async () => {
  const files: Record<string, ReturnType<typeof patternImage> | string> = {};
  for (let f = 1; f <= 5; f++) files[`cohn-kanade-images/S005/001/S005_001_0000000${f}.png`] = patternImage(f);
  for (let f = 1; f <= 12; f++) {
    files[`cohn-kanade-images/S010/002/S010_002_${String(f).padStart(8, "0")}.png`] = patternImage(f);
  }
  for (let f = 1; f <= 4; f++) files[`cohn-kanade-images/S010/003/S010_003_0000000${f}.png`] = patternImage(f);
  files["Emotion/S005/001/S005_001_00000005_emotion.txt"] = "   3.0000000e+00\n";
  files["Emotion/S010/002/S010_002_00000012_emotion.txt"] = "   2.0000000e+00\n";
  files["Emotion/S010/003/.keep"] = ""; // a sequence without a label
  const root = await writeTree(files);
  const ds = loadCkPlus({ root });
  assert.deepEqual(ds.classes, ["disgust", "contempt"]);
  assert.deepEqual(
    ds.samples.map((s) => s.path.slice(root.length + 1)),
    [
      "cohn-kanade-images/S005/001/S005_001_00000003.png",
      "cohn-kanade-images/S005/001/S005_001_00000004.png",
      "cohn-kanade-images/S005/001/S005_001_00000005.png",
      "cohn-kanade-images/S010/002/S010_002_00000010.png",
      "cohn-kanade-images/S010/002/S010_002_00000011.png",
      "cohn-kanade-images/S010/002/S010_002_00000012.png",
    ],
  );
  assert.deepEqual(ds.samples.map((s) => s.sequence), [
    "S005_001",
    "S005_001",
    "S005_001",
    "S010_002",
    "S010_002",
    "S010_002",
  ]);
  assert.equal(loadCkPlus({ root, lastK: 1 }).samples.length, 2);
  const six = loadCkPlus({ root, dropContempt: true });
  assert.deepEqual([six.classes, six.samples.length], [["disgust"], 3]);
  await Deno.writeTextFile(join(root, "Emotion/S005/001/S005_001_00000005_emotion.txt"), "9\n");
  assert.throws(() => loadCkPlus({ root }), /S005_001_00000005_emotion\.txt: emotion "9"; expected a CK\+ code 1\.\.7/);
  await Deno.remove(root, { recursive: true });
});

Deno.test({
  ...needsDataset(
    "ckplus48",
    "real CK+48: 981 images, 118 subjects, 7 classes; subject 5-fold has no overlap and every class per fold",
  ),
  fn() {
    const ds = loadCkPlus({ root: datasetDir("ckplus48")! });
    const s = summarize(ds);
    assert.deepEqual([s.total, s.subjects, s.classes.length], [981, 118, 7]);
    assert.deepEqual(s.splits[0].counts, {
      angry: 135,
      disgust: 177,
      fear: 75,
      happy: 207,
      sad: 84,
      surprise: 249,
      contempt: 54,
    });
    const folds = kFold(ds.samples, { k: 5, seed: 0, by: "subject" });
    assert.deepEqual(subjectOverlap(ds.samples, folds), []);
    assert.equal(folds.flat().length, 981);
    for (const f of folds) assert.equal(new Set(f.map((i) => ds.samples[i].label)).size, 7);
    const sizes = folds.map((f) => f.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 40, `balanced folds ${sizes}`);
  },
});
