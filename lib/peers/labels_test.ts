import assert from "node:assert/strict";
import { CANONICAL_LABELS, reorderToCanonical, toCanonical } from "./labels.ts";

Deno.test("face-api labels map onto the canonical vocabulary", () => {
  assert.equal(toCanonical("face-api", "fearful"), "fear");
  assert.equal(toCanonical("face-api", "disgusted"), "disgust");
  assert.equal(toCanonical("face-api", "surprised"), "surprise");
  assert.throws(() => toCanonical("face-api", "contempt"), /contempt.*no canonical/);
});

Deno.test("reorderToCanonical moves each probability to its canonical slot", () => {
  // face-api order: neutral, happy, sad, angry, fearful, disgusted, surprised
  const p = reorderToCanonical("face-api", [0.1, 0.2, 0.3, 0.05, 0.15, 0.12, 0.08]);
  const at = (l: string) => p[CANONICAL_LABELS.indexOf(l as never)];
  assert.ok(Math.abs(at("neutral") - 0.1) < 1e-6);
  assert.ok(Math.abs(at("happy") - 0.2) < 1e-6);
  assert.ok(Math.abs(at("sad") - 0.3) < 1e-6);
  assert.ok(Math.abs(at("angry") - 0.05) < 1e-6);
  assert.ok(Math.abs(at("fear") - 0.15) < 1e-6);
  assert.ok(Math.abs(at("disgust") - 0.12) < 1e-6);
  assert.ok(Math.abs(at("surprise") - 0.08) < 1e-6);
  // human's grayscale model already uses the canonical (FER2013) order
  assert.deepEqual([...reorderToCanonical("human", [1, 2, 3, 4, 5, 6, 7])], [1, 2, 3, 4, 5, 6, 7]);
  assert.throws(() => reorderToCanonical("human", [1, 2]), /expected 7 probabilities, got 2/);
});
