/**
 * The fault suite's corpus of bad input: each case is a file or a flag a user could give `fer`, the
 * exact one-line error it must get, and whether a run folder may be left behind (never, for anything
 * that can be checked before training). Cases are named after the hole of issue 16 they close
 * (#4 options validated late, #5 an empty split, #6 undecodable images and empty class folders, #7
 * csv edge cases) or "new" for what was found while closing them. A new bad input found later is one
 * more row here.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ck48, CSV_HEADER, csvRow, fer, type Ran, runDirs, suiteTempDir, tinySpec } from "./faults_corpus.ts";

const dir = suiteTempDir("fer-faults-input-");
const spec = await tinySpec(dir, { epochs: 1 });
const runs = `${dir}/runs`;

/** `fer train` on the tiny spec with extra flags; asserts it failed with `message` and made no run folder. */
async function trainRefused(flags: string[], message: RegExp): Promise<Ran> {
  const before = await runDirs(runs);
  const r = await fer(["train", "--config", spec, "--runs", runs, ...flags]);
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}:\n${r.err}`);
  assert.match(r.err, message);
  assert.equal(r.err.trim().split("\n").filter((l) => l.startsWith("fer train:")).length, 1, "one error line");
  assert.deepEqual(await runDirs(runs), before, "no run folder is made for input that fails validation");
  return r;
}

Deno.test("#4 --tta bogus is refused before training, with no run folder", async () => {
  const r = await trainRefused(
    ["--tta", "bogus"],
    /^fer train: --tta must be one of none, flip, tencrop, got "bogus"$/m,
  );
  assert.doesNotMatch(r.err, /^backend:/m, "refused before a backend is even chosen");
});

Deno.test("#4 --folds 1 names the flag, with no run folder", async () => {
  await trainRefused(["--folds", "1"], /^fer train: --folds must be an integer of at least 2, got "1"$/m);
  await trainRefused(["--folds", "two"], /^fer train: --folds must be an integer of at least 2, got "two"$/m);
});

Deno.test("#4 --backend wasm, which cannot train, is refused before a run folder is made", async () => {
  await trainRefused(
    ["--backend", "wasm"],
    /^fer train: backend wasm cannot train this model \(Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'\); train with --backend cpu or torch$/m,
  );
});

Deno.test("new: more folds than subjects is refused before a run folder is made", async () => {
  await trainRefused(["--folds", "30"], /^fer train: kFold by subject: 5 subjects cannot fill 30 folds$/m);
});

Deno.test("#5 an empty validation split is an error, not a finished run with accuracy 0", async () => {
  await trainRefused(
    ["--val-split", "holdout:0"],
    /^fer train: .*spec\.json: "protocol\.val" holdout:0 must hold out a share between 0 and 1, e\.g\. holdout:0\.2$/m,
  );
  await trainRefused(
    ["--val-split", "holdout:1"],
    /^fer train: .*spec\.json: "protocol\.val" holdout:1 must hold out a share between 0 and 1, e\.g\. holdout:0\.2$/m,
  );
});

Deno.test("new: a split the data do not have is refused before a run folder is made", async () => {
  await trainRefused(
    ["--val-split", "PublicTest"],
    /^fer train: synthetic: no samples in split "PublicTest" \(splits: \(none\); use "all" for every sample\)$/m,
  );
});

Deno.test("#6 data summary --verify decodes every image and lists the ones it rejects", async () => {
  const root = `${dir}/verify`;
  await ck48(root, { happy: 3, sadness: 3 });
  await Deno.writeFile(`${root}/happy/S020_001_00000001.png`, new Uint8Array());
  await Deno.writeTextFile(`${root}/sadness/S021_001_00000001.png`, "not a png");
  const plain = await fer(["data", "summary", "--dataset", "ckplus", "--root", root]);
  assert.equal(plain.code, 0, "without --verify the files are only listed");
  assert.match(plain.out, /: 8 images, 2 classes/);
  const r = await fer(["data", "summary", "--dataset", "ckplus", "--root", root, "--verify"]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /^verify: 6 of 8 images decode, 2 rejected:$/m);
  assert.match(
    r.out,
    new RegExp(`^  ${root}/happy/S020_001_00000001\\.png: corrupt or unreadable image; expected a valid PNG`, "m"),
  );
  assert.match(r.out, new RegExp(`^  ${root}/sadness/S021_001_00000001\\.png: corrupt or unreadable image`, "m"));
  const ok = await fer(["data", "summary", "--dataset", "ckplus", "--root", `${dir}/verify-ok`, "--verify", "--json"]);
  assert.equal(ok.code, 1, "a missing folder is still an error");
  await ck48(`${dir}/verify-ok`, { happy: 2 });
  const good = await fer([
    "data",
    "summary",
    "--dataset",
    "ckplus",
    "--root",
    `${dir}/verify-ok`,
    "--verify",
    "--json",
  ]);
  assert.equal(good.code, 0, good.err);
  assert.deepEqual(JSON.parse(good.out).verify, { decoded: 2, rejected: [] });
});

Deno.test("#6 an empty class folder is refused, not silently dropped (CK+ would become 6 classes)", async () => {
  const root = `${dir}/ck-empty`;
  await ck48(root, { anger: 2, fear: 0, happy: 2 });
  const message = new RegExp(
    `^fer (data|train): ${root}/fear: class folder "fear" is empty; expected its images \\(delete the folder to leave the class out\\)$`,
    "m",
  );
  const s = await fer(["data", "summary", "--dataset", "ckplus", "--root", root]);
  assert.equal(s.code, 1, s.out);
  assert.match(s.err, message);
  const t = await fer(["train", "--dataset", "ckplus", "--root", root, "--runs", runs, "--epochs", "1"]);
  assert.equal(t.code, 1);
  assert.match(t.err, message);
  const folder = await fer(["data", "summary", "--dataset", "folder", "--root", root]);
  assert.equal(folder.code, 1);
  assert.match(folder.err, /ck-empty\/fear: class folder "fear" is empty/);
});

Deno.test("new: a corrupt image met during training fails the run with an error naming the file", async () => {
  const root = `${dir}/ck-corrupt`;
  await ck48(root, { anger: 4, happy: 4 });
  await Deno.writeTextFile(`${root}/happy/S030_001_00000001.png`, "not a png");
  const flags = "--dataset ckplus --preset cpu-tiny --size 16 --epochs 1".split(" ");
  const r = await fer(["train", ...flags, "--root", root, "--runs", `${dir}/runs-corrupt`]);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    new RegExp(`^fer train: ${root}/happy/S030_001_00000001\\.png: corrupt or unreadable image`, "m"),
  );
});

/** Writes a csv of `lines` (joined by "\n") and runs `data summary` on it. */
async function csvSummary(name: string, lines: string[]): Promise<Ran> {
  const path = `${dir}/${name}.csv`;
  await Deno.writeTextFile(path, lines.join("\n"));
  return fer(["data", "summary", "--dataset", "fer2013", "--root", path]);
}

Deno.test("#7 a csv with trailing blank lines is read whole", async () => {
  const r = await csvSummary("blank", [CSV_HEADER, csvRow("0", "Training"), csvRow("3", "PublicTest"), "", "", ""]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^fer2013 at .*blank\.csv: 2 images, 7 classes$/m);
});

Deno.test("#7 a label of 3.0 is refused: labels are integers 0..6", async () => {
  const r = await csvSummary("float", [CSV_HEADER, csvRow("0", "Training"), csvRow("3.0", "PublicTest")]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^fer data: .*float\.csv row 1 \(line 3\): emotion "3\.0"; expected an integer 0\.\.6$/m);
});

Deno.test("#7 a header-only csv is an error, not a dataset of 0 images", async () => {
  const r = await csvSummary("header-only", [CSV_HEADER, ""]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^fer data: .*header-only\.csv: no rows below the header; expected emotion,pixels,Usage rows$/m);
});

Deno.test("new: a blank line amid the rows is skipped, and later rows keep their line numbers", async () => {
  const r = await csvSummary("amid", [CSV_HEADER, csvRow("0", "Training"), "", csvRow("9", "PublicTest")]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^fer data: .*amid\.csv row 2 \(line 4\): emotion "9"; expected an integer 0\.\.6$/m);
});

Deno.test("new: a run record that is not JSON is named", async () => {
  await Deno.mkdir(`${dir}/broken-run`, { recursive: true });
  await Deno.writeTextFile(`${dir}/broken-run/run.json`, "{ not json");
  const r = await fer(["train", "--resume", `${dir}/broken-run`]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^fer train: .*broken-run\/run\.json: cannot read the run record \(/m);
});
