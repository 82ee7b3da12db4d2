import assert from "node:assert/strict";
import { evaluatePeer, peerPredict, scorePredictions } from "./peers.ts";
import { evenSubset } from "../data/routing.ts";
import { datasetDir } from "../data/paths.ts";
import { needsDataset } from "../data/fixtures.ts";
import { loadDataset } from "../data/load.ts";
import { CANONICAL_LABELS } from "./labels.ts";

const root = datasetDir("fer2013/PublicTest") && datasetDir("fer2013");

Deno.test("scorePredictions counts a hand-made confusion", () => {
  const s = scorePredictions(["happy", "happy", "sad", "angry"], ["happy", "sad", "sad", "happy"]);
  assert.equal(s.accuracy, 0.5);
  const h = CANONICAL_LABELS.indexOf("happy"), sd = CANONICAL_LABELS.indexOf("sad");
  assert.equal(s.confusion[h][h], 1);
  assert.equal(s.confusion[h][sd], 1);
  assert.equal(s.perClass.sad.precision, 0.5);
  assert.equal(s.perClass.sad.recall, 1);
  assert.equal(s.perClass.angry.recall, 0);
});

Deno.test({
  ...needsDataset("fer2013/PublicTest", "peers give probability vectors on real FER2013 PublicTest crops"),
  fn: async () => {
    const ds = await loadDataset({ dataset: "fer2013", root: root!, splits: ["PublicTest"] });
    const imgs = await Promise.all(evenSubset(ds.samples, 7).map((s) => ds.load(s)));
    assert.ok(imgs.every((im) => im.width === 48 && im.height === 48));
    for (const peer of ["human", "face-api"] as const) {
      const preds = await peerPredict(peer, imgs);
      assert.equal(preds.length, imgs.length);
      for (const p of preds) {
        assert.equal(p.probs.length, 7);
        const sum = p.probs.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-3, `${peer}: probabilities sum to ${sum}`);
        assert.ok(p.probs.every((v) => v >= 0 && v <= 1));
        assert.equal(p.label, CANONICAL_LABELS[p.probs.indexOf(Math.max(...p.probs))]);
      }
    }
  },
});

Deno.test({
  ...needsDataset("fer2013/PublicTest", "peers beat chance clearly on 280 FER2013 PublicTest images"),
  fn: async () => {
    for (const peer of ["human", "face-api"] as const) {
      const r = await evaluatePeer(peer, { root: root!, split: "PublicTest", limit: 280 });
      assert.equal(r.n, 280);
      assert.equal(r.confusion.flat().reduce((a, b) => a + b, 0), 280);
      // chance is 1/7 ≈ 0.143; the majority class (happy) is 25% of PublicTest
      assert.ok(r.accuracy > 1 / 7 + 0.25, `${peer}: accuracy ${r.accuracy} is not well above chance`);
    }
  },
});

Deno.test("evaluatePeer names a root without the split", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(() => evaluatePeer("human", { root: dir, split: "PublicTest" }), new RegExp(dir));
  await Deno.remove(dir, { recursive: true });
});
