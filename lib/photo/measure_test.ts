import assert from "node:assert/strict";
import { selectBackend } from "../backend/select.ts";
import { loadDataset } from "../data/load.ts";
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
  } finally {
    detector.dispose();
    fm.model.dispose();
  }
});
