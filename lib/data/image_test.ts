import assert from "node:assert/strict";
import { join } from "node:path";
import sharp from "sharp";
import { decodeImage, decodeRgb, type GrayImage, resizeGray, writeImage } from "./image.ts";
import { decodeBmp, encodeBmp } from "./bmp.ts";

function gradient(w: number, h: number): GrayImage {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = (x * 16 + y * 3) % 256;
  return { width: w, height: h, data };
}

Deno.test("PNG, BMP and TIFF round-trip losslessly; JPEG within a few grey levels", async () => {
  const dir = await Deno.makeTempDir();
  const img = gradient(13, 7);
  for (const ext of [".png", ".bmp", ".tiff"]) {
    const p = join(dir, `g${ext}`);
    await writeImage(p, img);
    const back = await decodeImage(p);
    assert.deepEqual([back.width, back.height], [13, 7], ext);
    assert.deepEqual(back.data, img.data, ext);
  }
  await writeImage(join(dir, "g.jpg"), img);
  const j = await decodeImage(join(dir, "g.jpg"));
  const maxErr = Math.max(...j.data.map((v, i) => Math.abs(v - img.data[i])));
  assert.ok(maxErr <= 2, `jpeg error ${maxErr} (quality 95: 1 grey level with this sharp)`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("grayscale JPEG decodes to one channel; RGB is kept when asked and converted to luma otherwise", async () => {
  const dir = await Deno.makeTempDir();
  // 2x1 RGB: pure red, pure blue.
  const rgb = new Uint8Array([255, 0, 0, 0, 0, 255]);
  await sharp(rgb, { raw: { width: 2, height: 1, channels: 3 } }).png().toFile(join(dir, "c.png"));
  const c = await decodeRgb(join(dir, "c.png"));
  assert.deepEqual(c.data, rgb);
  const g = await decodeImage(join(dir, "c.png"));
  assert.equal(g.data.length, 2);
  assert.ok(g.data[0] > g.data[1], "red is brighter than blue in luma");
  await sharp(new Uint8Array(48 * 48).fill(128), { raw: { width: 48, height: 48, channels: 1 } })
    .jpeg().toFile(join(dir, "gray.jpg"));
  const gj = await decodeImage(join(dir, "gray.jpg"));
  assert.equal(gj.data.length, 48 * 48);
  assert.ok(Math.abs(gj.data[100] - 128) <= 2);
  // The pure-JS grayscale JPEG path agrees with libjpeg (through sharp) within one grey level.
  const noisy = new Uint8Array(48 * 48).map((_, i) => (i * 7919) % 251);
  await sharp(noisy, { raw: { width: 48, height: 48, channels: 1 } }).jpeg({ quality: 80 }).toFile(join(dir, "n.jpg"));
  const ours = await decodeImage(join(dir, "n.jpg"));
  const ref = await sharp(join(dir, "n.jpg")).grayscale().raw().toBuffer();
  assert.ok(ours.data.every((v, i) => Math.abs(v - ref[i]) <= 1));
  const gjRgb = await decodeRgb(join(dir, "gray.jpg"));
  assert.equal(gjRgb.data.length, 48 * 48 * 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("24-bit bottom-up BMP decodes with the right orientation", () => {
  const img = encodeBmp({ width: 3, height: 2, data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
  assert.deepEqual(decodeBmp(img, "x.bmp").data, new Uint8Array([1, 2, 3, 4, 5, 6]));
  // Hand-built 24-bit 1x2 BMP: bottom row white, top row black.
  const b = new Uint8Array(54 + 8);
  const v = new DataView(b.buffer);
  b.set([0x42, 0x4d]);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, 1, true);
  v.setInt32(22, 2, true);
  v.setUint16(28, 24, true);
  b.set([255, 255, 255], 54);
  assert.deepEqual(decodeBmp(b, "y.bmp").data, new Uint8Array([0, 255]));
  assert.throws(() => decodeBmp(b.subarray(0, 56), "z.bmp"), /z\.bmp.*BMP/);
});

Deno.test("area resize averages blocks exactly; bilinear interpolates; same size is a no-op", () => {
  const img: GrayImage = { width: 4, height: 2, data: new Uint8Array([0, 10, 20, 30, 40, 50, 60, 70]) };
  assert.deepEqual(resizeGray(img, 2, 1, "area").data, new Uint8Array([25, 45]));
  const up = resizeGray({ width: 2, height: 1, data: new Uint8Array([0, 100]) }, 4, 1, "bilinear");
  assert.deepEqual(up.data, new Uint8Array([0, 25, 75, 100]));
  assert.equal(resizeGray(img, 4, 2), img);
  // Non-integer area factor keeps the mean of a constant image.
  const c = resizeGray({ width: 7, height: 5, data: new Uint8Array(35).fill(77) }, 3, 2, "area");
  assert.ok(c.data.every((v) => v === 77));
  assert.throws(() => resizeGray(img, 0, 2), /positive integers/);
});

Deno.test("missing, corrupt and unsupported files are named in the error", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(decodeImage(join(dir, "nope.png")), /nope\.png: cannot read/);
  await Deno.writeTextFile(join(dir, "bad.jpg"), "this is not a jpeg");
  await assert.rejects(decodeImage(join(dir, "bad.jpg")), /bad\.jpg: corrupt or unreadable image; expected/);
  await assert.rejects(decodeImage(join(dir, "x.gif")), /x\.gif: unsupported image type/);
  await Deno.remove(dir, { recursive: true });
});
