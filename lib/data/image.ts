/**
 * Image decoding (PNG, JPEG, TIFF through sharp; BMP through {@link decodeBmp}) to 8-bit grayscale or
 * RGB, and separable area/bilinear resizing in plain TypeScript (the same result whatever the source).
 *
 * @example
 * ```ts
 * const img = await decodeImage("face.jpg", { size: 48 });   // 48x48 grayscale
 * const rgb = await decodeRgb("face.png");                    // RGB kept
 * const small = resizeGray(img, 24, 24, "area");
 * ```
 * @module
 */
import sharp from "sharp";
import UTIF from "utif";
import { extname } from "node:path";
import { decodeBmp, encodeBmp } from "./bmp.ts";

/** Row-major 8-bit grayscale image. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Row-major interleaved 8-bit RGB image (`data.length = width*height*3`). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Resampling method: area averaging (best for shrinking) or bilinear (half-pixel centres). */
export type ResizeMethod = "area" | "bilinear";

/** Options of {@link decodeImage}. */
export interface DecodeOptions {
  /** Resize to size×size (no-op when already that size). */
  size?: number;
  /** Default "area". */
  resize?: ResizeMethod;
}

/** File extensions {@link decodeImage} accepts. */
export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"];

/** True when the file name has an image extension the decoder accepts. */
export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** Decodes an image file to grayscale, optionally resized to size×size. */
export async function decodeImage(path: string, opts: DecodeOptions = {}): Promise<GrayImage> {
  const img = await decodeChannels(path, 1);
  return opts.size ? resizeGray(img, opts.size, opts.size, opts.resize) : img;
}

/** Decodes an image file keeping colour (grayscale sources are replicated to 3 channels). */
export async function decodeRgb(path: string, opts: DecodeOptions = {}): Promise<RgbImage> {
  const img = await decodeChannels(path, 3);
  return opts.size ? resizeChannels(img, 3, opts.size, opts.size, opts.resize) : img;
}

async function decodeChannels(path: string, channels: 1 | 3): Promise<GrayImage> {
  if (!isImageFile(path)) {
    throw new Error(`${path}: unsupported image type; expected one of ${IMAGE_EXTENSIONS.join(" ")}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read image (${err instanceof Error ? err.message : err})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) {
    const g = decodeBmp(bytes, path);
    return channels === 1 ? g : grayToRgb(g);
  }
  try {
    let pipe = sharp(bytes, { failOn: "error" });
    pipe = channels === 1 ? pipe.grayscale() : pipe.toColourspace("srgb");
    const { data, info } = await pipe.removeAlpha().raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    const px = info.width * info.height;
    if (info.channels === channels) {
      return {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, px * channels),
      };
    }
    const out = new Uint8Array(px * channels);
    for (let i = 0; i < px; i++) {
      for (let c = 0; c < channels; c++) {
        out[i * channels + c] = data[i * info.channels + Math.min(c, info.channels - 1)];
      }
    }
    return { width: info.width, height: info.height, data: out };
  } catch (err) {
    throw new Error(
      `${path}: corrupt or unreadable image; expected a valid PNG, JPEG, BMP or TIFF (${
        err instanceof Error ? err.message : err
      })`,
    );
  }
}

function grayToRgb(g: GrayImage): RgbImage {
  const out = new Uint8Array(g.data.length * 3);
  for (let i = 0; i < g.data.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = g.data[i];
  return { width: g.width, height: g.height, data: out };
}

/** Resizes a grayscale image; returns the input unchanged when the size already matches. */
export function resizeGray(img: GrayImage, width: number, height: number, method: ResizeMethod = "area"): GrayImage {
  return resizeChannels(img, 1, width, height, method);
}

/** Resizes an interleaved image with `channels` channels (1 for gray, 3 for RGB). */
export function resizeChannels(
  img: GrayImage,
  channels: number,
  width: number,
  height: number,
  method: ResizeMethod = "area",
): GrayImage {
  if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height))) {
    throw new Error(`resize: target size must be positive integers, got ${width}x${height}`);
  }
  if (img.data.length !== img.width * img.height * channels) {
    throw new Error(
      `resize: data has ${img.data.length} bytes, expected ${img.width}x${img.height}x${channels}`,
    );
  }
  if (img.width === width && img.height === height) return img;
  const wx = axisWeights(img.width, width, method);
  const wy = axisWeights(img.height, height, method);
  const tmp = new Float32Array(width * img.height * channels);
  for (let y = 0; y < img.height; y++) {
    const srow = y * img.width * channels, drow = y * width * channels;
    for (let x = 0; x < width; x++) {
      const { idx, w } = wx[x];
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < idx.length; k++) s += w[k] * img.data[srow + idx[k] * channels + c];
        tmp[drow + x * channels + c] = s;
      }
    }
  }
  const out = new Uint8Array(width * height * channels);
  const rowLen = width * channels;
  for (let y = 0; y < height; y++) {
    const { idx, w } = wy[y];
    for (let i = 0; i < rowLen; i++) {
      let s = 0;
      for (let k = 0; k < idx.length; k++) s += w[k] * tmp[idx[k] * rowLen + i];
      out[y * rowLen + i] = Math.min(255, Math.max(0, Math.round(s)));
    }
  }
  return { width, height, data: out };
}

interface Taps {
  idx: Int32Array;
  w: Float32Array;
}

function axisWeights(src: number, dst: number, method: ResizeMethod): Taps[] {
  const scale = src / dst;
  const taps: Taps[] = [];
  for (let o = 0; o < dst; o++) {
    if (method === "bilinear") {
      const c = Math.min(src - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const i0 = Math.floor(c), i1 = Math.min(src - 1, i0 + 1), f = c - i0;
      taps.push({ idx: Int32Array.of(i0, i1), w: Float32Array.of(1 - f, f) });
    } else {
      const a = o * scale, b = (o + 1) * scale;
      const idx: number[] = [], w: number[] = [];
      for (let i = Math.floor(a); i < Math.min(src, Math.ceil(b)); i++) {
        const overlap = Math.min(b, i + 1) - Math.max(a, i);
        if (overlap > 1e-9) {
          idx.push(i);
          w.push(overlap / scale);
        }
      }
      taps.push({ idx: Int32Array.from(idx), w: Float32Array.from(w) });
    }
  }
  return taps;
}

/** Encodes a grayscale image as PNG bytes (for fixtures, saved datasets and notebook figures). */
export async function encodePng(img: GrayImage): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** Encodes a grayscale image to a file whose extension picks the format (.png, .jpg, .tiff, .bmp). */
export async function writeImage(path: string, img: GrayImage): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === ".bmp") return Deno.writeFile(path, encodeBmp(img));
  if (ext === ".tif" || ext === ".tiff") {
    // sharp's TIFF writer shifts grey levels of single-channel input; UTIF writes them exactly.
    const rgba = new Uint8Array(img.data.length * 4);
    for (let i = 0; i < img.data.length; i++) rgba.set([img.data[i], img.data[i], img.data[i], 255], 4 * i);
    return Deno.writeFile(path, new Uint8Array(UTIF.encodeImage(rgba, img.width, img.height)));
  }
  const pipe = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } });
  const fmt = ext === ".png" ? pipe.png() : ext === ".jpg" || ext === ".jpeg" ? pipe.jpeg({ quality: 95 }) : null;
  if (!fmt) throw new Error(`${path}: cannot write this image type; expected .png, .jpg, .tiff or .bmp`);
  const buf = await fmt.toBuffer();
  await Deno.writeFile(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
}
