/**
 * Minimal Windows BMP codec (sharp/libvips cannot read BMP): uncompressed 8-bit paletted, 24- and
 * 32-bit images, bottom-up or top-down, decoded to grayscale; and an 8-bit grayscale encoder for fixtures.
 *
 * @example
 * ```ts
 * const bytes = encodeBmp({ width: 2, height: 1, data: new Uint8Array([0, 255]) });
 * decodeBmp(bytes, "x.bmp").data; // Uint8Array [0, 255]
 * ```
 * @module
 */
import type { GrayImage } from "./pixels.ts";

/** Decodes a BMP file's bytes to grayscale (ITU-R BT.601 luma); `name` is used in errors. */
export function decodeBmp(bytes: Uint8Array, name: string): GrayImage {
  const fail = (why: string) => new Error(`${name}: not a readable BMP image (${why})`);
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw fail("expected a 'BM' header");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bpp = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (width <= 0 || rawHeight === 0) throw fail(`bad size ${width}x${rawHeight}`);
  if (compression !== 0 && !(compression === 3 && bpp === 32)) throw fail(`compression ${compression} unsupported`);
  if (![8, 24, 32].includes(bpp)) throw fail(`${bpp} bits per pixel unsupported; expected 8, 24 or 32`);
  const height = Math.abs(rawHeight);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (offset + stride * height > bytes.length) throw fail(`truncated: needs ${offset + stride * height} bytes`);
  let palette: Uint8Array | null = null;
  if (bpp === 8) {
    const colors = v.getUint32(46, true) || 256;
    const p0 = 14 + headerSize;
    palette = new Uint8Array(256);
    for (let i = 0; i < colors; i++) {
      const b = bytes[p0 + 4 * i], g = bytes[p0 + 4 * i + 1], r = bytes[p0 + 4 * i + 2];
      palette[i] = luma(r, g, b);
    }
  }
  const data = new Uint8Array(width * height);
  const step = bpp / 8;
  for (let y = 0; y < height; y++) {
    const row = offset + stride * (rawHeight > 0 ? height - 1 - y : y);
    for (let x = 0; x < width; x++) {
      const p = row + x * step;
      data[y * width + x] = palette ? palette[bytes[p]] : luma(bytes[p + 2], bytes[p + 1], bytes[p]);
    }
  }
  return { width, height, data };
}

/** Encodes a grayscale image as an 8-bit paletted BMP. */
export function encodeBmp(img: GrayImage): Uint8Array {
  const stride = Math.ceil(img.width / 4) * 4;
  const offset = 14 + 40 + 1024;
  const out = new Uint8Array(offset + stride * img.height);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, out.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, img.width, true);
  v.setInt32(22, img.height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 8, true);
  v.setUint32(46, 256, true);
  for (let i = 0; i < 256; i++) out.set([i, i, i, 0], 54 + 4 * i);
  for (let y = 0; y < img.height; y++) {
    out.set(img.data.subarray(y * img.width, (y + 1) * img.width), offset + stride * (img.height - 1 - y));
  }
  return out;
}

function luma(r: number, g: number, b: number): number {
  return Math.round(0.299 * r + 0.587 * g + 0.114 * b);
}
