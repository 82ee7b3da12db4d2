import assert from "node:assert/strict";
import { Rng } from "../util/rng.ts";
import { confusionMatrix } from "../eval/metrics.ts";
import { fitNearestMean, predictNearestMean, TOY_CLASSES, toyPatterns } from "./toy.ts";

Deno.test("toyPatterns is seeded and nearest-mean separates the classes well above chance", () => {
  const a = toyPatterns({ perClass: 3, rng: new Rng(5) });
  const b = toyPatterns({ perClass: 3, rng: new Rng(5) });
  assert.deepEqual(a.images, b.images);
  assert.deepEqual(a.labels, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  const rng = new Rng(7);
  const model = fitNearestMean(toyPatterns({ perClass: 20, rng }));
  const test = toyPatterns({ perClass: 30, rng });
  const cm = confusionMatrix(test.labels, predictNearestMean(model, test.images), TOY_CLASSES.length);
  const correct = cm.reduce((s, row, i) => s + row[i], 0);
  assert.equal(cm.flat().reduce((x, y) => x + y, 0), 90);
  assert.ok(correct / 90 > 0.6, `accuracy ${correct / 90}`);
});
