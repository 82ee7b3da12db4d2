import assert from "node:assert/strict";
import { faceCrop, toGray } from "./crop.ts";

Deno.test("toGray weighs R, G, B as ITU-R 601; faceCrop repeats edge pixels outside the photo", () => {
  assert.deepEqual([...toGray({ width: 2, height: 1, data: Uint8Array.of(255, 0, 0, 10, 200, 30) }).data], [76, 124]);
  // 4×4 grey ramp, value = 10·x + y.
  const gray = {
    width: 4,
    height: 4,
    data: Uint8Array.from({ length: 16 }, (_, i) => 10 * (i % 4) + Math.floor(i / 4)),
  };
  const inside = faceCrop(gray, { x: 1, y: 1, width: 2, height: 2 }, { margin: 0, size: 2 });
  assert.deepEqual([...inside.data], [11, 21, 12, 22]);
  // Margin 1: a 4×4 window from (0, 0); at margin 2 it starts at (−1, −1) and repeats row and column 0.
  assert.deepEqual([...faceCrop(gray, { x: 1, y: 1, width: 2, height: 2 }, { margin: 1, size: 4 }).data], [
    ...gray.data,
  ]);
  const wide = faceCrop(gray, { x: 1, y: 1, width: 2, height: 2 }, { margin: 2, size: 6 });
  assert.deepEqual([...wide.data.subarray(0, 6)], [0, 0, 10, 20, 30, 30]);
});
