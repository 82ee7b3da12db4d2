import assert from "node:assert/strict";
import { selectBackend } from "../backend/select.ts";
import { lbpFor } from "../engine/inputs.ts";
import { predictImages } from "../engine/predict.ts";
import { faceCrop, toGray } from "./crop.ts";
import { CROP_MARGIN, detectAndClassify, isFaceCrop } from "./classify.ts";
import { loadDetector } from "./load_detector.ts";
import { seededModel, syntheticScene } from "./testing.ts";

await selectBackend("wasm", { quiet: true });

Deno.test("a face crop is classified whole: the same probabilities as the model on the picture itself", async () => {
  const fm = seededModel();
  const scene = await syntheticScene(1, 1);
  const f = scene.faces[0];
  const face = faceCrop(toGray(scene.image), { x: f.x, y: f.y, width: f.side, height: f.side }, {
    margin: 0,
    size: 48,
  });
  const rgb = { width: 48, height: 48, data: new Uint8Array(48 * 48 * 3).map((_, i) => face.data[Math.floor(i / 3)]) };
  assert.ok(
    isFaceCrop(rgb, 48) && isFaceCrop({ width: 96, height: 96 }, 48) && isFaceCrop({ width: 96, height: 96 }, 16),
  );
  assert.ok(!isFaceCrop({ width: 97, height: 97 }, 48) && !isFaceCrop({ width: 48, height: 40 }, 48));
  assert.ok(isFaceCrop({ width: 128, height: 128 }, 64) && !isFaceCrop({ width: 129, height: 129 }, 64));
  const { faces, reason } = await detectAndClassify(rgb, fm, { modelName: "seeded", heatmap: true });
  assert.equal(reason, undefined);
  assert.equal(faces.length, 1);
  const want = await predictImages(fm, [face], { lbp: lbpFor(fm.config) });
  assert.deepEqual(Object.values(faces[0].probabilities), [...want]);
  assert.deepEqual(Object.keys(faces[0].probabilities), fm.labels);
  assert.deepEqual(faces[0].box, { x: 0, y: 0, width: 48, height: 48 });
  assert.equal(faces[0].score, null);
  assert.equal(faces[0].model, "seeded");
  assert.deepEqual([faces[0].heatmap!.width, faces[0].heatmap!.height], [6, 6]);
  // a model naming its own views is averaged over them unless the options say otherwise
  const flips = { ...fm, tta: "flip" as const };
  const flipped = await detectAndClassify(rgb, flips, {});
  const flipWant = await predictImages(fm, [face], { lbp: lbpFor(fm.config), tta: "flip" });
  assert.deepEqual(Object.values(flipped.faces[0].probabilities), [...flipWant]);
  assert.notDeepEqual([...flipWant], [...want]);
  const one = await detectAndClassify(rgb, flips, { tta: "none" });
  assert.deepEqual(Object.values(one.faces[0].probabilities), [...want]);
  fm.model.dispose();
});

Deno.test("detectAndClassify: one result per detected face, cropped at the margin; none with a reason", async () => {
  const fm = seededModel(), detector = await loadDetector();
  try {
    const scene = await syntheticScene(2, 2);
    const boxes = await detector.detect(scene.image);
    assert.ok(boxes.length >= 1);
    const { faces } = await detectAndClassify(scene.image, fm, { detector, modelName: "seeded" });
    assert.deepEqual(faces.map((f) => [f.box.x, f.box.y, f.score]), boxes.map((b) => [b.x, b.y, b.score]));
    const gray = toGray(scene.image), lbp = lbpFor(fm.config);
    const crops = boxes.map((b) => faceCrop(gray, b, { margin: CROP_MARGIN, size: 48 }));
    const want = await predictImages(fm, crops, { lbp });
    faces.forEach((f, i) => {
      assert.deepEqual(Object.values(f.probabilities), [...want.subarray(i * 7, (i + 1) * 7)]);
      assert.equal(f.probabilities[f.label], Math.max(...Object.values(f.probabilities)));
    });
    const empty = await syntheticScene(4, 0, 0);
    const none = await detectAndClassify(empty.image, fm, { detector });
    assert.deepEqual(none.faces, []);
    assert.match(none.reason!, /^no face found by blazeface/);
  } finally {
    detector.dispose();
    fm.model.dispose();
  }
});
