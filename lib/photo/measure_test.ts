import assert from "node:assert/strict";
import { selectBackend } from "../backend/select.ts";
import { loadDataset } from "../data/load.ts";
import { lbpFor } from "../engine/inputs.ts";
import { predictImages } from "../engine/predict.ts";
import { adamSteps, randomBatch } from "../model/testing.ts";
import { loadDetector } from "./load_detector.ts";
import { findsFace, measureScenes } from "./measure.ts";
import { seededModel } from "./testing.ts";

await selectBackend("wasm", { quiet: true });

Deno.test("findsFace: centre inside the pasted square and a side 0.3–1.5 times its own", () => {
  const f = { x: 100, y: 100, side: 100, face: 0 };
  assert.ok(findsFace({ x: 120, y: 130, width: 60, height: 60 }, f));
  assert.ok(!findsFace({ x: 170, y: 130, width: 60, height: 60 }, f), "centre outside");
  assert.ok(!findsFace({ x: 140, y: 140, width: 20, height: 20 }, f), "too small");
  assert.ok(!findsFace({ x: 40, y: 40, width: 160, height: 160 }, f), "too large");
});

Deno.test("measureScenes on synthetic faces: counts add up, one accuracy per margin, the best margin among them", async () => {
  const ds = await loadDataset({ dataset: "synthetic", n: 40 });
  const faces = await Promise.all(ds.samples.map((s) => ds.load(s, { size: 48 })));
  const fm = seededModel(), detector = await loadDetector();
  try {
    const rep = await measureScenes({
      faces,
      labels: ds.samples.map((s) => s.label),
      model: fm,
      detector,
      scenes: 4,
      margins: [0, 0.4],
      seed: 3,
      scene: { maxWidth: 700 },
    });
    assert.equal(rep.scenes, 4);
    assert.ok(rep.faces > 0 && rep.found <= rep.faces);
    assert.equal(rep.detectionRate, rep.found / rep.faces);
    assert.equal(rep.missedSides.length, rep.faces - rep.found);
    assert.equal(rep.falseBoxesPerScene, rep.falseBoxes / 4);
    assert.deepEqual(rep.byMargin.map((m) => m.margin), [0, 0.4]);
    for (const m of rep.byMargin) assert.equal(m.endToEnd, (m.accuracy * rep.found) / rep.faces);
    assert.equal(rep.bestMargin, rep.byMargin.reduce((a, b) => (b.accuracy > a.accuracy ? b : a)).margin);
    assert.equal(rep.tta, "none");
    // a model with its own views: both sides of the comparison average them, as fer predict would. Labelled
    // with its ten-crop predictions, every pasted face is right directly.
    const argmaxes = (p: Float32Array) =>
      faces.map((_, i) => {
        const row = Array.from(p.subarray(i * 7, i * 7 + 7));
        return row.indexOf(Math.max(...row));
      });
    const lbp = lbpFor(fm.config);
    await selectBackend("cpu", { quiet: true }); // wasm has no convolution gradients
    adamSteps(fm, randomBatch(fm.config, 8, 5), { steps: 5, learningRate: 0.01 }); // off the uniform start
    await selectBackend("wasm", { quiet: true });
    const tenLabels = argmaxes(await predictImages(fm, faces, { lbp, tta: "tencrop" }));
    const plainLabels = argmaxes(await predictImages(fm, faces, { lbp }));
    const changed = faces.flatMap((_, i) => tenLabels[i] !== plainLabels[i] ? [i] : []);
    assert.ok(changed.length > 0, "ten crops change some predictions");
    // only those faces: one view gets every one wrong, ten crops every one right
    const tens = await measureScenes({
      faces: changed.map((i) => faces[i]),
      labels: changed.map((i) => tenLabels[i]),
      model: { ...fm, tta: "tencrop" },
      detector,
      scenes: 4,
      margins: [0],
      seed: 3,
      scene: { maxWidth: 700 },
    });
    assert.deepEqual([tens.tta, tens.directAccuracy], ["tencrop", 1]);
  } finally {
    detector.dispose();
    fm.model.dispose();
  }
});
