/**
 * A photo from an untrusted file, checked before any decoding: the bytes must start as a PNG, JPEG, WebP, GIF,
 * TIFF or BMP does; the size its header declares must stay under a pixel limit (40 megapixels by default); then
 * it is decoded to 8-bit RGB with its EXIF orientation applied, and a truncated or corrupt file is refused with
 * the file's name.
 *
 * @example
 * ```ts
 * const rgb = await readPhoto("group.jpg"); // upright RGB, whatever the camera's EXIF orientation
 * ```
 * @module
 */
import { decodeBmp } from "./bmp.ts";
import { loadSharp, type RgbImage } from "./image.ts";

/** Largest photo decoded by default, in pixels (width × height declared by the header). */
export const MAX_PHOTO_PIXELS = 40_000_000;

/** Options of {@link readPhoto} and {@link decodePhoto}. */
export interface PhotoOptions {
  /** Refuse a header declaring more pixels than this (default {@link MAX_PHOTO_PIXELS}). */
  maxPixels?: number;
}

const SIGNATURES: [string, number[], number][] = [
  ["PNG", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0],
  ["JPEG", [0xff, 0xd8, 0xff], 0],
  ["GIF", [0x47, 0x49, 0x46, 0x38], 0],
  ["WebP", [0x57, 0x45, 0x42, 0x50], 8],
  ["TIFF", [0x49, 0x49, 0x2a, 0x00], 0],
  ["TIFF", [0x4d, 0x4d, 0x00, 0x2a], 0],
  ["BMP", [0x42, 0x4d], 0],
];

/** The image format the first bytes announce, or null. */
export function sniffFormat(bytes: Uint8Array): string | null {
  for (const [name, sig, at] of SIGNATURES) {
    if (bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)) return name;
  }
  return null;
}

/** Reads and decodes a photo file; see {@link decodePhoto}. */
export async function readPhoto(path: string, opts: PhotoOptions = {}): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read photo (${err instanceof Error ? err.message : err})`);
  }
  return decodePhoto(bytes, path, opts);
}

/** Decodes photo bytes (`name` names them in errors) to upright RGB, after the checks of this module. */
export async function decodePhoto(bytes: Uint8Array, name: string, opts: PhotoOptions = {}): Promise<RgbImage> {
  const format = sniffFormat(bytes);
  if (!format) {
    const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new Error(
      `${name}: not an image; expected a PNG, JPEG, WebP, GIF, TIFF or BMP file (first bytes: ${head || "none"})`,
    );
  }
  const maxPixels = opts.maxPixels ?? MAX_PHOTO_PIXELS;
  if (format === "BMP") {
    const g = decodeBmp(bytes, name);
    const rgb = new Uint8Array(g.data.length * 3);
    for (let i = 0; i < g.data.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g.data[i];
    return { width: g.width, height: g.height, data: rgb };
  }
  const sharp = await loadSharp();
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new Error(`${name}: corrupt or truncated ${format} file; its header cannot be read (${firstLine(err)})`);
  }
  const { width = 0, height = 0 } = meta;
  if (width * height > maxPixels) {
    throw new Error(
      `${name}: the ${format} header declares ${width}x${height} = ${(width * height / 1e6).toFixed(1)} megapixels, ` +
        `more than the limit of ${maxPixels / 1e6} megapixels; refused before decoding`,
    );
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: "truncated", limitInputPixels: maxPixels })
      .rotate()
      .toColourspace("srgb")
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    const px = info.width * info.height, out = new Uint8Array(px * 3);
    for (let i = 0; i < px; i++) {
      for (let c = 0; c < 3; c++) out[3 * i + c] = data[i * info.channels + Math.min(c, info.channels - 1)];
    }
    return { width: info.width, height: info.height, data: out };
  } catch (err) {
    throw new Error(`${name}: corrupt or truncated ${format} data (${firstLine(err)})`);
  }
}

/** The first line of an error's message (libvips repeats its warnings line after line). */
function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
