/**
 * Image decoding (PNG, JPEG, TIFF through sharp; grayscale JPEG through UTIF's JS decoder; BMP through {@link decodeBmp}) to 8-bit grayscale or
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
import UTIF from "utif";
import { decodeBmp, encodeBmp } from "./bmp.ts";
import type { GrayImage } from "./pixels.ts";

type Sharp = typeof import("sharp").default;
let sharpModule: Promise<Sharp> | null = null;
/** sharp (a native addon) is loaded on first use, so code that never decodes PNG/colour JPEG/TIFF — the
 * synthetic faces, FER2013's grey JPEGs, BMP — also runs where it is absent (tools/gpu_check.ts's bundle). */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import("sharp").then((m) => m.default);
  return sharpModule;
}

export type { GrayImage };

/** A single-channel float picture, row-major: a map (attention, LBP input) rather than a photo. */
export interface FloatMap {
  width: number;
  height: number;
  data: Float32Array;
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

/** The extension of a file name, dot included ("" without one): node:path's, without importing node:path, so the
 * page's bundle (web/app.ts) can take this module. */
function extname(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1), dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot) : "";
}

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
  if (channels === 1 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    const fast = decodeGrayJpeg(bytes);
    if (fast) return fast;
  }
  try {
    const sharp = await loadSharp();
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

/**
 * Pure-JS path for single-channel JPEGs (all of FER2013): UTIF's pdf.js-derived decoder is ~4x faster
 * than a sharp call for 48x48 images and matches libjpeg within one grey level. Returns null (so sharp
 * decodes, and reports errors) for colour or unparsable files.
 */
function decodeGrayJpeg(bytes: Uint8Array): GrayImage | null {
  try {
    const dec = new UTIF.JpegDecoder();
    dec.parse(bytes);
    const data = dec.getData(dec.width, dec.height);
    if (data.length !== dec.width * dec.height) return null;
    return { width: dec.width, height: dec.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch {
    return null;
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
  const src = img.data;
  const tmp = new Float32Array(width * img.height * channels);
  for (let y = 0; y < img.height; y++) {
    const srow = y * img.width * channels, drow = y * width * channels;
    for (let x = 0; x < width; x++) {
      const t0 = wx.start[x], t1 = wx.start[x + 1];
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let t = t0; t < t1; t++) s += wx.w[t] * src[srow + wx.idx[t] * channels + c];
        tmp[drow + x * channels + c] = s;
      }
    }
  }
  const out = new Uint8Array(width * height * channels);
  const rowLen = width * channels;
  for (let y = 0; y < height; y++) {
    const t0 = wy.start[y], t1 = wy.start[y + 1], orow = y * rowLen;
    for (let i = 0; i < rowLen; i++) {
      let s = 0;
      for (let t = t0; t < t1; t++) s += wy.w[t] * tmp[wy.idx[t] * rowLen + i];
      out[orow + i] = s <= 0 ? 0 : s >= 255 ? 255 : Math.round(s);
    }
  }
  return { width, height, data: out };
}

/** Source taps of each output pixel along one axis: taps start[o]..start[o+1] of idx/w. */
interface Taps {
  start: Int32Array;
  idx: Int32Array;
  w: Float32Array;
}

const tapCache = new Map<string, Taps>();

function axisWeights(src: number, dst: number, method: ResizeMethod): Taps {
  const key = `${src}:${dst}:${method}`;
  const hit = tapCache.get(key);
  if (hit) return hit;
  const scale = src / dst;
  const start = [0], idx: number[] = [], w: number[] = [];
  for (let o = 0; o < dst; o++) {
    if (method === "bilinear") {
      const c = Math.min(src - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const i0 = Math.floor(c), f = c - i0;
      idx.push(i0, Math.min(src - 1, i0 + 1));
      w.push(1 - f, f);
    } else {
      const a = o * scale, b = (o + 1) * scale;
      for (let i = Math.floor(a); i < Math.min(src, Math.ceil(b)); i++) {
        const overlap = Math.min(b, i + 1) - Math.max(a, i);
        if (overlap > 1e-9) {
          idx.push(i);
          w.push(overlap / scale);
        }
      }
    }
    start.push(idx.length);
  }
  const taps = { start: Int32Array.from(start), idx: Int32Array.from(idx), w: Float32Array.from(w) };
  if (tapCache.size > 256) tapCache.clear();
  tapCache.set(key, taps);
  return taps;
}

/** Encodes a grayscale image as PNG bytes (for fixtures, saved datasets and notebook figures). */
export async function encodePng(img: GrayImage): Promise<Uint8Array> {
  const sharp = await loadSharp();
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
  const sharp = await loadSharp();
  const pipe = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } });
  const fmt = ext === ".png" ? pipe.png() : ext === ".jpg" || ext === ".jpeg" ? pipe.jpeg({ quality: 95 }) : null;
  if (!fmt) throw new Error(`${path}: cannot write this image type; expected .png, .jpg, .tiff or .bmp`);
  const buf = await fmt.toBuffer();
  await Deno.writeFile(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
}
