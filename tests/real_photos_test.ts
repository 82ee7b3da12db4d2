/**
 * `fer predict` on real photos, with no dataset: the six group photos that ship inside @vladmandic/face-api's npm
 * package, against the faces marked by hand in bench/real_photos_truth.json. With the defaults (the shipped model,
 * the detector's default score threshold), every face marked frontal is found (IoU ≥ 0.4) in every photo, each face
 * gets the model's 7 probabilities, and in sample6.jpg every box lies on a marked face. The other five photos have
 * boxes off every face at the default threshold (results/photo/real-photos.json counts them): a threshold that
 * removed them lost faces in the generated scenes, so it is not the default.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DETECTOR_DEFAULTS, matchFaces, readFaceTruth, samplePhotosDir } from "../lib/photo/mod.ts";
import { fer, lastJson } from "./faults_corpus.ts";

const PHOTO = "sample6.jpg";

interface Row {
  width: number;
  height: number;
  faces: { box: { x: number; y: number; width: number; height: number }; probabilities: Record<string, number> }[];
}

Deno.test("fer predict on six real group photos: every hand-marked frontal face; in sample6.jpg no other box", async () => {
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
    if (t.file === PHOTO) {
      assert.deepEqual(m.falseBoxes.map((k) => row.faces[k].box), [], `${t.file}: boxes on no face`);
    }
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
