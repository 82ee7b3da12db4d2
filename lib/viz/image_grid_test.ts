import assert from "node:assert/strict";
import { imageGrid } from "./image_grid.ts";
import { colormap } from "./colormap.ts";
import { pngStats } from "./test_helpers.ts";
import { createCanvas, loadImage } from "@napi-rs/canvas";

function ramp(w: number, h: number): Uint8Array {
  return Uint8Array.from({ length: w * h }, (_, i) => Math.round(((i % w) / (w - 1)) * 255));
}

Deno.test("imageGrid: layout size, tile pixels placed and scaled exactly, labels drawn", async () => {
  const a = { width: 8, height: 6, data: ramp(8, 6) };
  const b = { width: 8, height: 6, data: new Float32Array(48).fill(0) };
  const fig = imageGrid({ images: [a, b, a], labels: ["x", "y", "z"], columns: 2, scale: 3 });
  // PAD 6, tile 24x18, label 16: width 6 + 2*(24+6) = 66, height 6 + 2*(18+16+6) = 86
  assert.equal(fig.width, 66);
  assert.equal(fig.height, 86);
  const s = await pngStats(fig.png);
  assert.equal(s.width, 66);
  assert.equal(s.height, 86);
  assert.ok(s.variance > 0 && s.nonBackground > 0.1);
  const img = await loadImage(fig.png);
  const ctx = createCanvas(img.width, img.height).getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
  assert.deepEqual(px(6, 6), [0, 0, 0]); // first tile, left column of the ramp
  assert.deepEqual(px(6 + 23, 6 + 17), [255, 255, 255]); // its right column (scaled by 3)
  assert.deepEqual(px(36 + 10, 10), [0, 0, 0]); // second tile is all zeros (Float32 0)
  // a label glyph: some dark pixel in the label strip under the first tile
  const strip = ctx.getImageData(6, 6 + 18, 24, 16).data;
  let dark = 0;
  for (let i = 0; i < strip.length; i += 4) if (strip[i] < 128) dark++;
  assert.ok(dark > 3, `label pixels ${dark}`);
  assert.ok(fig.svg.includes("data:image/png;base64,"));
});

Deno.test("imageGrid: jet overlay colours the tiles; bad sizes are clear errors", async () => {
  const face = { width: 10, height: 10, data: new Uint8Array(100).fill(128) };
  const map = { width: 5, height: 5, data: Float32Array.from({ length: 25 }, (_, i) => i / 24) };
  const fig = imageGrid({ images: [face], overlay: { maps: [map], alpha: 0.5 } });
  assert.ok((await pngStats(fig.png)).coloured > 50);
  assert.throws(() => imageGrid({ images: [{ width: 4, height: 4, data: new Uint8Array(15) }] }), /image 0.*16/);
  assert.throws(() => imageGrid({ images: [face], labels: ["a", "b"] }), /1 images but 2 labels/);
  assert.throws(() => imageGrid({ images: [] }), /no images/);
});

Deno.test("imageGrid: shared overlay range, colour bar with its end values, title never clipped", async () => {
  const face = { width: 8, height: 8, data: new Uint8Array(64).fill(0) };
  const low = { width: 4, height: 4, data: new Float32Array(16).fill(0.2) };
  const high = { width: 4, height: 4, data: new Float32Array(16).fill(0.8) };
  const overlay = { maps: [low, high], alpha: 1, range: "shared" as const, colorbar: "F_m" };
  const fig = imageGrid({ images: [face, face], overlay, columns: 2, scale: 2 });
  // grid 6 + 2*(16+6) = 50 wide, 6 + 16 + 6 = 28 high; the colour bar widens it and adds its strip
  assert.equal(fig.height, 28 + 46);
  assert.ok(fig.width >= 220 + 12);
  const img = await loadImage(fig.png);
  const ctx = createCanvas(img.width, img.height).getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
  assert.deepEqual(px(10, 10), colormap("jet", 0), "the lower map sits at the bottom of the shared range");
  assert.deepEqual(px(32, 10), colormap("jet", 1), "the higher map at its top");
  // the bar: 16 px under the grid, from jet(0) on the left to jet(1) on the right
  assert.deepEqual(px(6 + 2, 28 + 16 + 6), colormap("jet", 2 / 219));
  assert.deepEqual(px(6 + 217, 28 + 16 + 6), colormap("jet", 217 / 219));
  const each = imageGrid({ images: [face, face], overlay: { maps: [null, high], alpha: 1 }, columns: 2, scale: 2 });
  assert.equal(each.height, 28, "no colour bar unless asked");
  const plain = await loadImage(each.png);
  const pctx = createCanvas(plain.width, plain.height).getContext("2d");
  pctx.drawImage(plain, 0, 0);
  assert.deepEqual(Array.from(pctx.getImageData(10, 10, 1, 1).data.slice(0, 3)), [0, 0, 0], "a null map: no overlay");
  const title = "a title far wider than one small tile";
  assert.ok(imageGrid({ images: [face], title }).width > title.length * 7, "the canvas grows to the title");
});

Deno.test("colormap: endpoints of gray, jet and viridis", () => {
  assert.deepEqual(colormap("gray", 0), [0, 0, 0]);
  assert.deepEqual(colormap("gray", 2), [255, 255, 255]);
  assert.deepEqual(colormap("jet", 0), [0, 0, 128]);
  assert.deepEqual(colormap("jet", 1), [128, 0, 0]);
  assert.deepEqual(colormap("viridis", 0), [68, 1, 84]);
  assert.deepEqual(colormap("viridis", 1), [253, 231, 37]);
});
