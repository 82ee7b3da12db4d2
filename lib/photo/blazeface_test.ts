import assert from "node:assert/strict";
import { selectBackend } from "../backend/select.ts";
import {
  blazeAnchors,
  blazeFace,
  detectionWindows,
  DETECTOR_DEFAULTS,
  type FaceDetector,
  secondLook,
} from "./blazeface.ts";
import { loadDetectorModel } from "./load_detector.ts";
import { findsFace } from "./measure.ts";
import { syntheticScene } from "./testing.ts";

await selectBackend("wasm", { quiet: true });

Deno.test("BlazeFace's anchors: 16×16 cells of 2 then 8×8 cells of 6, centred in their cells", () => {
  const a = blazeAnchors();
  assert.equal(a.length, 2 * 896);
  assert.deepEqual([...a.subarray(0, 6)], [8, 8, 8, 8, 24, 8]);
  assert.deepEqual([...a.subarray(2 * 512, 2 * 512 + 2)], [16, 16]);
  assert.deepEqual([...a.subarray(-2)], [240, 240]);
});

Deno.test("detection windows: the whole photo, then tiles at half overlap covering it", () => {
  assert.deepEqual(detectionWindows(400, 300, 512), [{ x: 0, y: 0, side: 400 }]);
  const w = detectionWindows(1000, 600, 512);
  assert.deepEqual(w[0], { x: 0, y: 0, side: 1000 });
  assert.deepEqual(w.slice(1).map((t) => [t.x, t.y]), [[0, 0], [244, 0], [488, 0], [0, 88], [244, 88], [488, 88]]);
});

Deno.test("BlazeFace from @vladmandic/human's files finds the faces of generated scenes, and none in an empty one; its second look drops some synthetic faces, never adds a box", async () => {
  const model = await loadDetectorModel();
  const once = blazeFace(model, { secondLook: 0 }), twice = blazeFace(model);
  const count = async (detector: FaceDetector) => {
    let faces = 0, found = 0, falseBoxes = 0;
    const xs: number[] = [];
    for (const seed of [1, 2, 3]) {
      const scene = await syntheticScene(seed, 2);
      const boxes = await detector.detect(scene.image);
      faces += scene.faces.length;
      found += scene.faces.filter((f) => boxes.some((b) => findsFace(b, f))).length;
      falseBoxes += boxes.filter((b) => !scene.faces.some((f) => findsFace(b, f))).length;
      for (const b of boxes) assert.ok(b.score >= 0.5 && b.score <= 1, `score ${b.score}`);
      xs.push(...boxes.map((b) => b.x));
    }
    return { faces, found, falseBoxes, xs };
  };
  try {
    // Measured: 9 of the 10 synthetic faces at one look, 6 at two (their cartoon faces look again at 0.15–0.87).
    const a = await count(once), b = await count(twice);
    assert.equal(a.faces, 10);
    assert.ok(a.found >= 9, `one look found ${a.found} of ${a.faces} synthetic faces`);
    assert.ok(b.found >= 6 && b.found < a.found, `two looks found ${b.found} of ${b.faces}, one look ${a.found}`);
    assert.equal(a.falseBoxes + b.falseBoxes, 0);
    assert.ok(b.xs.every((x) => a.xs.includes(x)), "the second look only drops boxes");
    const empty = await syntheticScene(4, 0, 0);
    assert.deepEqual(await twice.detect(empty.image), []);
  } finally {
    model.dispose();
  }
});

Deno.test("secondLook: a pasted face's square looks like a face again, a corner of background does not", async () => {
  const model = await loadDetectorModel();
  try {
    const scene = await syntheticScene(1, 2), f = scene.faces[0];
    const [face, corner] = await secondLook(model, scene.image, [
      { x: f.x, y: f.y, width: f.side, height: f.side },
      { x: 5, y: 5, width: 100, height: 100 },
    ]);
    assert.ok(face >= DETECTOR_DEFAULTS.secondLook, `the face looks again at ${face}`);
    assert.ok(corner < 0.1, `the background looks again at ${corner}`);
  } finally {
    model.dispose();
  }
});
