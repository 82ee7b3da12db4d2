import assert from "node:assert/strict";
import "@tensorflow/tfjs-backend-cpu";
import { lbp, lbpMaxCode } from "../features/lbp.ts";
import { Rng } from "../util/rng.ts";
import { randomCropFlip } from "../features/crop.ts";
import { inputTensors, lbpFor, packInputs, paperAugment, trainAugment } from "./inputs.ts";
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

Deno.test("packInputs puts pixels / 255 and the LBP channel of each picture in order, and names a misfit", () => {
  const other: GrayImage = { width: 24, height: 24, data: face.data.map((v) => 255 - v) };
  const lbpFn = lbpFor({ lbp: "circle" })!;
  const p = packInputs([face, other], { size: 24, lbp: lbpFn });
  assert.deepEqual([p.n, p.size, p.raw.length, p.lbp!.length], [2, 24, 1152, 1152]);
  assert.equal(p.raw[576 + 5], Math.fround((255 - face.data[5]) / 255));
  assert.deepEqual(p.lbp!.subarray(576), lbpFn(other));
  assert.equal(packInputs([face], { size: 24 }).lbp, null);
  assert.throws(
    () => packInputs([face], { size: 12, names: () => "a.png" }),
    /a\.png: a 24x24 picture, expected 12x12/,
  );
  const [raw, lbpT] = inputTensors(p);
  assert.deepEqual([raw.shape, lbpT.shape], [[2, 24, 24, 1], [2, 24, 24, 1]]);
  raw.dispose();
  lbpT.dispose();
});

Deno.test("trainAugment: none, the affine warp, the crop + flip, or the warp then the crop from one rng", () => {
  const crop = { fraction: 0.75, flip: true };
  assert.equal(trainAugment({ augment: false }), null);
  assert.deepEqual(trainAugment({ augment: true })!(face, new Rng(4)), paperAugment()(face, new Rng(4)));
  assert.deepEqual(trainAugment({ augment: false, crop })!(face, new Rng(4)), randomCropFlip(face, new Rng(4), crop));
  const rng = new Rng(4), warped = paperAugment()(face, rng);
  assert.deepEqual(trainAugment({ augment: true, crop })!(face, new Rng(4)), randomCropFlip(warped, rng, crop));
});
