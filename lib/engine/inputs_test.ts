import assert from "node:assert/strict";
import { lbp, lbpMaxCode } from "../features/lbp.ts";
import { Rng } from "../util/rng.ts";
import { lbpFor, paperAugment } from "./inputs.ts";
import type { GrayImage } from "../data/image.ts";

const face: GrayImage = {
  width: 24,
  height: 24,
  data: Uint8Array.from({ length: 576 }, (_, i) => (i * 37 + (i >> 3) * 11) % 256),
};

Deno.test("lbpFor gives the config's LBP codes scaled by the method's largest code, and null without LBP", () => {
  assert.equal(lbpFor({ lbp: "none" }), null);
  for (const method of ["circle", "uniform"] as const) {
    const got = lbpFor({ lbp: method })!(face);
    const codes = lbp(face, { method }).codes, max = lbpMaxCode({ method });
    assert.equal(got.length, 576);
    assert.ok(got.every((v, i) => Math.abs(v - codes[i] / max) < 1e-7 && v >= 0 && v <= 1));
  }
});

Deno.test("paperAugment keeps the size, is seeded, and moves pixels", () => {
  const aug = paperAugment();
  const a = aug(face, new Rng("a")), again = aug(face, new Rng("a")), b = aug(face, new Rng("b"));
  assert.equal(a.width, 24);
  assert.equal(a.data.length, 576);
  assert.deepEqual(a.data, again.data);
  assert.notDeepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, face.data);
});
