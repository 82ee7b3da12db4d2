import assert from "node:assert/strict";
import { Rng } from "../util/rng.ts";
import { cropResized, cropSide, cropSquare, flipLR, randomCropFlip, resizeBilinear } from "./crop.ts";
import type { GrayImage } from "../data/image.ts";

/** Pixel value = 10·x + y: a crop's corner tells where it was taken. */
const ramp = (s: number): GrayImage => ({
  width: s,
  height: s,
  data: Uint8Array.from({ length: s * s }, (_, i) => 10 * (i % s) + Math.floor(i / s)),
});

Deno.test("cropSquare takes the square at its top-left pixel and refuses one that does not fit", () => {
  const c = cropSquare(ramp(8), 2, 3, 4);
  assert.equal(c.width, 4);
  assert.equal(c.data[0], 10 * 2 + 3);
  assert.equal(c.data[15], 10 * 5 + 6);
  assert.throws(() => cropSquare(ramp(8), 5, 0, 4), /crop 4x4 at \(5, 0\) does not fit a 8x8 picture/);
});

Deno.test("cropSide is 42 of 48 at 0.875 and rejects fractions outside (0, 1]", () => {
  assert.equal(cropSide(48, 0.875), 42);
  assert.equal(cropSide(96, 0.875), 84);
  assert.throws(() => cropSide(48, 0), /crop fraction must be in \(0, 1\]/);
  assert.throws(() => cropSide(48, 1.5), /crop fraction/);
});

Deno.test("cropResized at the corners and centre reads the matching part, back at full size", () => {
  const im = ramp(16);
  const topLeft = cropResized(im, 0.5, 0, 0), bottomRight = cropResized(im, 0.5, 1, 1);
  assert.equal(topLeft.width, 16);
  assert.deepEqual(topLeft, resizeBilinear(cropSquare(im, 0, 0, 8), 16));
  assert.deepEqual(bottomRight, resizeBilinear(cropSquare(im, 8, 8, 8), 16));
  assert.deepEqual(cropResized(im, 0.5, 0.5, 0.5), resizeBilinear(cropSquare(im, 4, 4, 8), 16));
});

Deno.test("randomCropFlip keeps the size, is seeded, covers every offset and flips about half the time", () => {
  const im = ramp(16), opts = { fraction: 0.75, flip: true };
  const a = randomCropFlip(im, new Rng("a"), opts);
  assert.equal(a.width, 16);
  assert.equal(a.data.length, 256);
  assert.deepEqual(a, randomCropFlip(im, new Rng("a"), opts));
  const rng = new Rng(3), crops = new Set<string>();
  let flips = 0;
  const all: GrayImage[] = [];
  for (let x = 0; x <= 4; x++) for (let y = 0; y <= 4; y++) all.push(resizeBilinear(cropSquare(im, x, y, 12), 16));
  for (let i = 0; i < 400; i++) {
    const v = randomCropFlip(im, rng, opts);
    const plain = all.findIndex((c) => c.data.every((p, j) => p === v.data[j]));
    const mirrored = all.findIndex((c) => flipLR(c).data.every((p, j) => p === v.data[j]));
    assert.ok(plain >= 0 || mirrored >= 0, "every view is one of the 25 crops, maybe mirrored");
    if (plain < 0) flips++;
    crops.add(String(plain >= 0 ? plain : mirrored));
  }
  assert.equal(crops.size, 25, "all 5×5 offsets drawn");
  assert.ok(flips > 150 && flips < 250, `${flips} of 400 flipped`);
});

Deno.test("randomCropFlip with fraction 1 and no flip is the identity; a non-square picture is refused", () => {
  const im = ramp(12);
  assert.deepEqual(randomCropFlip(im, new Rng(1), { fraction: 1, flip: false }), im);
  assert.throws(
    () => randomCropFlip({ width: 4, height: 2, data: new Uint8Array(8) }, new Rng(1), { fraction: 0.5, flip: true }),
    /square picture, got 4x2/,
  );
});
