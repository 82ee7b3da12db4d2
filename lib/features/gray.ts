/**
 * Helpers around the shared grayscale image type ({@link GrayImage} of `lib/data/image.ts`): a shape
 * check with a clear message and a PNG writer. Decode with `decodeImage` from `lib/data/image.ts`.
 *
 * @example
 * ```ts
 * checkGray(img, "face.png");
 * await writeGrayPng("out/face.png", img);
 * ```
 * @module
 */
import { encodePng, type GrayImage } from "../data/image.ts";

export type { GrayImage };

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
 * Writes a {@link GrayImage} as an 8-bit grayscale PNG (sharp, loaded on first use), creating no folders.
 *
 * @example
 * ```ts
 * await writeGrayPng("out/face.png", img);
 * ```
 */
export async function writeGrayPng(path: string, img: GrayImage): Promise<void> {
  checkGray(img, path);
  try {
    await Deno.writeFile(path, await encodePng(img));
  } catch (err) {
    throw new Error(`cannot write PNG ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
