/**
 * `fer predict` on real photos, with no dataset: the six group photos that ship inside @vladmandic/face-api's npm
 * package, against the faces marked by hand in bench/real_photos_truth.json. With the defaults (the shipped model,
 * the detector's score threshold and its second look), every face marked frontal is found (IoU ≥ 0.4) in every
 * photo, each face gets the model's 7 probabilities, and at most two boxes in all lie off every marked face, both in
 * sample1.jpg (results/photo/real-photos.json: 13 in five photos without the second look).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DETECTOR_DEFAULTS, matchFaces, readFaceTruth, samplePhotosDir } from "../lib/photo/mod.ts";
import { fer, lastJson } from "./faults_corpus.ts";

/** A photo with a box under the default score that passes the second look (0.42 on no face, looking again at 0.70). */
const PHOTO = "sample2.jpg";
/** The photo keeping the false boxes the second look leaves, and how many (results/photo/real-photos.json). */
const LEFT = { file: "sample1.jpg", falseBoxes: 2 };

interface Row {
  width: number;
  height: number;
  faces: { box: { x: number; y: number; width: number; height: number }; probabilities: Record<string, number> }[];
}

Deno.test("fer predict on six real group photos: every hand-marked frontal face, and at most two boxes on no face", async () => {
  const truth = await readFaceTruth(new URL("../bench/real_photos_truth.json", import.meta.url).pathname);
  const r = await fer(["predict", ...truth.map((t) => join(samplePhotosDir(), t.file)), "--json", "--backend", "wasm"]);
  assert.equal(r.code, 0, r.err);
  const rows = lastJson<Row[]>(r);
  assert.equal(rows.length, truth.length);
  for (const [i, t] of truth.entries()) {
    const row = rows[i];
    assert.deepEqual([row.width, row.height], [t.width, t.height], `${t.file} upright, as marked`);
    const m = matchFaces(t.faces, row.faces.map((f) => f.box), 0.4);
    const missed = m.missed.filter((k) => t.faces[k].frontal).map((k) => t.faces[k]);
    assert.deepEqual(missed, [], `${t.file}: frontal faces not found`);
    const most = t.file === LEFT.file ? LEFT.falseBoxes : 0;
    assert.ok(m.falseBoxes.length <= most, `${t.file}: ${m.falseBoxes.length} boxes on no face (at most ${most})`);
    for (const f of row.faces) {
      const p = Object.values(f.probabilities);
      assert.equal(p.length, 7);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, `probabilities sum to ${p}`);
    }
  }
});

Deno.test("fer predict --min-score reaches the detector: a lower threshold keeps more boxes, each at least that score", async () => {
  const photo = join(samplePhotosDir(), PHOTO);
  const bad = await fer(["predict", photo, "--min-score", "1.5"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /--min-score must be a number in 0\.\.1, got "1\.5"/);
  const r = await fer(["predict", photo, "--json", "--backend", "wasm", "--min-score", "0.3"]);
  assert.equal(r.code, 0, r.err);
  const scores = lastJson<{ faces: { score: number }[] }[]>(r)[0].faces.map((f) => f.score);
  assert.ok(scores.every((s) => s >= 0.3), `${scores}`);
  assert.ok(scores.some((s) => s < DETECTOR_DEFAULTS.minScore), `no box under the default threshold: ${scores}`);
});

Deno.test("fer predict --second-look reaches the detector: 0 keeps the boxes the second look drops", async () => {
  const photo = join(samplePhotosDir(), PHOTO);
  const bad = await fer(["predict", photo, "--second-look", "2"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /--second-look must be a number in 0\.\.1, got "2"/);
  const boxes = async (args: string[]) => {
    const r = await fer(["predict", photo, "--json", "--backend", "wasm", ...args]);
    assert.equal(r.code, 0, r.err);
    return lastJson<{ faces: { box: unknown }[] }[]>(r)[0].faces.map((f) => JSON.stringify(f.box));
  };
  const [looked, once] = [await boxes([]), await boxes(["--second-look", "0"])];
  assert.ok(looked.every((b) => once.includes(b)), "the second look only drops boxes");
  assert.ok(once.length >= looked.length + 3, `${once.length} boxes with one look, ${looked.length} with two`);
});
