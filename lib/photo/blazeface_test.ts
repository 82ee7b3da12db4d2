import assert from "node:assert/strict";
import { selectBackend } from "../backend/select.ts";
import { blazeAnchors, detectionWindows } from "./blazeface.ts";
import { loadDetector } from "./load_detector.ts";
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

Deno.test("BlazeFace from @vladmandic/human's files finds the faces of a generated scene, and none in an empty one", async () => {
  const detector = await loadDetector();
  try {
    let faces = 0, found = 0, falseBoxes = 0;
    for (const seed of [1, 2, 3]) {
      const scene = await syntheticScene(seed, 2);
      const boxes = await detector.detect(scene.image);
      const hit = scene.faces.filter((f) => boxes.some((b) => findsFace(b, f))).length;
      faces += scene.faces.length;
      found += hit;
      falseBoxes += boxes.filter((b) => !scene.faces.some((f) => findsFace(b, f))).length;
      for (const b of boxes) assert.ok(b.score >= 0.5 && b.score <= 1, `score ${b.score}`);
    }
    assert.ok(found >= Math.ceil(0.6 * faces), `found ${found} of ${faces} synthetic faces`);
    assert.ok(falseBoxes <= 1, `${falseBoxes} false boxes in 3 scenes`);
    const empty = await syntheticScene(4, 0, 0);
    assert.deepEqual(await detector.detect(empty.image), []);
  } finally {
    detector.dispose();
  }
});
