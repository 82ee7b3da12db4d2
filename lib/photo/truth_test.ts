import assert from "node:assert/strict";
import { matchFaces, parseFaceTruth, readFaceTruth } from "./truth.ts";

const box = (x: number, y: number, side = 10) => ({ x, y, width: side, height: side });

Deno.test("matchFaces pairs boxes and faces one to one, best overlap first, and names the misses and false boxes", () => {
  const faces = [box(0, 0), box(100, 0), box(200, 0)];
  // box 0 overlaps face 0 a little, box 1 overlaps it more; box 2 is on no face; face 2 has no box
  const boxes = [box(4, 0), box(1, 0), box(500, 500), box(102, 1)];
  const m = matchFaces(faces, boxes, 0.4);
  assert.deepEqual(m.matches.map(({ face, box }) => [face, box]), [[0, 1], [1, 3]]);
  assert.ok(Math.abs(m.matches[0].iou - 90 / 110) < 1e-12);
  assert.deepEqual(m.missed, [2]);
  assert.deepEqual(m.falseBoxes, [0, 2]);
  // a stricter overlap turns the looser pair into a miss and a false box
  assert.deepEqual(matchFaces(faces, boxes, 0.8).missed, [1, 2]);
});

Deno.test("parseFaceTruth refuses a bad truth file, naming the file and the field", () => {
  const ok = { photos: [{ file: "a.jpg", width: 100, height: 80, faces: [{ ...box(5, 5), frontal: true }] }] };
  assert.equal(parseFaceTruth(ok, "t.json")[0].faces[0].frontal, true);
  const bad = (photo: Record<string, unknown>) => ({ photos: [{ ...ok.photos[0], ...photo }] });
  assert.throws(() => parseFaceTruth({}, "t.json"), /t\.json: expected a non-empty "photos" list/);
  assert.throws(() => parseFaceTruth(bad({ file: "../etc/a.jpg" }), "t.json"), /t\.json: photos\[0\]\.file must be/);
  assert.throws(() => parseFaceTruth(bad({ faces: [box(0, 0)] }), "t.json"), /photos\[0\]\.faces\[0\]\.frontal/);
  assert.throws(
    () => parseFaceTruth(bad({ faces: [{ ...box(0, 0), width: -3, frontal: true }] }), "t.json"),
    /photos\[0\]\.faces\[0\]\.width must be a number ≥ 1, got -3/,
  );
  assert.throws(
    () => parseFaceTruth(bad({ faces: [{ ...box(95, 0), frontal: false }] }), "t.json"),
    /photos\[0\]\.faces\[0\] reaches outside the 100x80 photo/,
  );
});

Deno.test("the hand-made truth of face-api's six sample photos parses", async () => {
  const truth = await readFaceTruth(new URL("../../bench/real_photos_truth.json", import.meta.url).pathname);
  assert.deepEqual(truth.map((t) => t.file), [1, 2, 3, 4, 5, 6].map((i) => `sample${i}.jpg`));
  assert.equal(truth.reduce((n, t) => n + t.faces.length, 0), 22);
});
