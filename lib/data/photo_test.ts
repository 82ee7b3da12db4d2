import assert from "node:assert/strict";
import sharp from "sharp";
import { join } from "node:path";
import { decodePhoto, readPhoto, sniffFormat } from "./photo.ts";

/** A w×h JPEG whose left half is red and right half blue, tagged with an EXIF orientation. */
async function halves(w: number, h: number, orientation: number): Promise<Uint8Array> {
  const raw = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw.set(x < w / 2 ? [230, 20, 20] : [20, 20, 230], 3 * (y * w + x));
  }
  const buf = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 })
    .withMetadata({ orientation }).toBuffer();
  return new Uint8Array(buf);
}

Deno.test("readPhoto applies the EXIF orientation: a 6 (90° clockwise) photo comes out upright", async () => {
  const upright = await decodePhoto(await halves(64, 32, 1), "a.jpg");
  assert.deepEqual([upright.width, upright.height], [64, 32]);
  assert.ok(upright.data[0] > 200 && upright.data[2] < 50, "top-left is red");
  const turned = await decodePhoto(await halves(64, 32, 6), "b.jpg");
  assert.deepEqual([turned.width, turned.height], [32, 64]);
  // Rotated 90° clockwise: the left (red) half is now on top, the blue half at the bottom.
  const px = (x: number, y: number) => [...turned.data.subarray(3 * (y * 32 + x), 3 * (y * 32 + x) + 3)];
  assert.ok(px(16, 5)[0] > 200 && px(16, 5)[2] < 50, `top is red: ${px(16, 5)}`);
  assert.ok(px(16, 58)[2] > 200 && px(16, 58)[0] < 50, `bottom is blue: ${px(16, 58)}`);
});

Deno.test("decodePhoto refuses what is not an image, or is corrupt or truncated, naming the file", async () => {
  assert.equal(sniffFormat(new TextEncoder().encode("hello")), null);
  await assert.rejects(
    decodePhoto(new TextEncoder().encode("%PDF-1.4 not a picture"), "doc.jpg"),
    /doc\.jpg: not an image; expected a PNG, JPEG, WebP, GIF, TIFF or BMP file \(first bytes: 25 50 44 46/,
  );
  await assert.rejects(decodePhoto(new Uint8Array(0), "empty.png"), /empty\.png: not an image.*first bytes: none/);
  const jpeg = await halves(64, 64, 1);
  await assert.rejects(decodePhoto(jpeg.slice(0, jpeg.length / 2), "cut.jpg"), /cut\.jpg: corrupt or truncated JPEG/);
  const png = new Uint8Array(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "#777" } }).png().toBuffer(),
  );
  await assert.rejects(decodePhoto(png.slice(0, 40), "cut.png"), /cut\.png: corrupt or truncated PNG/);
  const scrambled = png.slice();
  scrambled.fill(0x55, 40);
  await assert.rejects(decodePhoto(scrambled, "bad.png"), /bad\.png: corrupt or truncated PNG/);
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(readPhoto(join(dir, "missing.jpg")), /missing\.jpg: cannot read photo/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a header declaring more than 40 megapixels is refused before decoding, with that reason", async () => {
  // A PNG header (signature + IHDR) declaring 8000×6000 = 48 MP, and no pixel data at all: only the header is read.
  const png = new Uint8Array(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: "#777" } }).png().toBuffer(),
  );
  const big = png.slice();
  new DataView(big.buffer).setUint32(16, 8000);
  new DataView(big.buffer).setUint32(20, 6000);
  await assert.rejects(
    decodePhoto(big, "huge.png"),
    /huge\.png: the PNG header declares 8000x6000 = 48\.0 megapixels, more than the limit of 40 megapixels; refused before decoding/,
  );
  await assert.rejects(decodePhoto(png, "small.png", { maxPixels: 63 }), /declares 8x8 = 0\.0 megapixels/);
  assert.equal((await decodePhoto(png, "small.png")).width, 8);
});
