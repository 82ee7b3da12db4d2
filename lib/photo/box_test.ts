import assert from "node:assert/strict";
import { iou, squareWindow, suppress } from "./box.ts";

Deno.test("iou, suppression and the square window of a box", () => {
  const a = { x: 0, y: 0, width: 10, height: 10, score: 0.9 };
  assert.equal(iou(a, { x: 5, y: 0, width: 10, height: 10 }), 50 / 150);
  assert.equal(iou(a, { x: 10, y: 0, width: 5, height: 5 }), 0);
  const b = { x: 1, y: 1, width: 10, height: 10, score: 0.95 }, c = { x: 30, y: 0, width: 10, height: 10, score: 0.5 };
  assert.deepEqual(suppress([a, c, b], 0.3), [b, c]);
  assert.deepEqual(squareWindow({ x: 10, y: 20, width: 40, height: 20 }, 0.5), { x: 0, y: 0, side: 60 });
  assert.throws(() => squareWindow(a, -1), /crop margin must be greater than -1/);
});
