import assert from "node:assert/strict";
import type { GrayImage } from "./gray.ts";
import { lbp } from "./lbp.ts";
import { codeHistogram, lbpInput } from "./lbp_input.ts";

const img: GrayImage = { width: 3, height: 3, data: new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 90]) };

Deno.test("scale divides codes by the method's largest code", () => {
  const x = lbpInput(img, { method: "original" });
  assert.equal(x[4], Math.fround(225 / 255)); // hand-worked centre code of lbp_test.ts
  const riu2 = lbpInput(img, { method: "riu2", points: 8, radius: 1 });
  const codes = lbp(img, { method: "riu2", points: 8, radius: 1 }).codes;
  codes.forEach((c, k) => assert.equal(riu2[k], Math.fround(c / 9)));
  assert.ok(x.every((v) => v >= 0 && v <= 1));
});

Deno.test("equalise maps each code to the fraction of pixels with a code <= it", () => {
  const codes = lbp(img, { method: "original" }).codes;
  const x = lbpInput(img, { method: "original", normalise: "equalise" });
  codes.forEach((c, k) => {
    const atMost = [...codes].filter((d) => d <= c).length;
    assert.equal(x[k], Math.fround(atMost / 9));
  });
  assert.equal(Math.max(...x), 1);
  const single = { width: 1, height: 1, data: new Uint8Array([9]) }; // one pixel, one code
  assert.deepEqual([...lbpInput(single, { method: "circle", normalise: "equalise" })], [1]);
});

Deno.test("histogram counts codes and rejects a code beyond the bins", () => {
  assert.deepEqual([...codeHistogram(new Uint16Array([0, 2, 2, 3]), 3)], [1, 0, 2, 1]);
  assert.throws(() => codeHistogram(new Uint16Array([4]), 3), /code 4 at index 0 exceeds maxCode 3/);
  assert.throws(() => lbpInput(img, { method: "circle", normalise: "minmax" as "scale" }), /"scale" or "equalise"/);
});
