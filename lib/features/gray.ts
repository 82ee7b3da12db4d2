/**
 * The grayscale image shape shared by the feature code, plus a minimal reader.
 *
 * `GrayImage` is structurally identical to the one of `lib/data/image.ts` (row-major bytes), so
 * images from the data loaders pass straight in. `readGray` decodes one file with sharp; the data
 * loaders offer the full version (resizing, CSV pixels, error reports per dataset).
 *
 * @example
 * ```ts
 * const img = await readGray("../shared/datasets/fer2013/PublicTest/happy/PublicTest_10130075.jpg");
 * console.log(img.width, img.height, img.data[0]);
 * ```
 * @module
 */
import sharp from "sharp";

/** A single-channel 8-bit image, row-major: pixel (row r, column c) is `data[r * width + c]`. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Throws a clear error unless `img` is a well-formed {@link GrayImage}; `what` names it in the message. */
export function checkGray(img: GrayImage, what = "image"): void {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${what}: width and height must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array)) throw new Error(`${what}: data must be a Uint8Array`);
  if (data.length !== width * height) {
    throw new Error(`${what}: expected ${width}x${height}=${width * height} bytes, got ${data.length}`);
  }
}

/**
 * Decodes an image file (JPEG, PNG, …) to 8-bit grayscale with sharp.
 *
 * @example
 * ```ts
 * const img = await readGray("face.png");
 * ```
 */
export async function readGray(path: string): Promise<GrayImage> {
  try {
    const { data, info } = await sharp(path).grayscale().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel after grayscale, got ${info.channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    throw new Error(`cannot decode image ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Writes a {@link GrayImage} as an 8-bit grayscale PNG (sharp), creating no folders.
 *
 * @example
 * ```ts
 * await writeGrayPng("out/face.png", img);
 * ```
 */
export async function writeGrayPng(path: string, img: GrayImage): Promise<void> {
  checkGray(img, path);
  try {
    await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).png().toFile(path);
  } catch (err) {
    throw new Error(`cannot write PNG ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
