/**
 * Decoding many samples at once into one contiguous buffer (what training and feature extraction consume),
 * with progress and bounded concurrency.
 *
 * @example
 * ```ts
 * const ds = await loadDataset({ dataset: "fer2013", root: "../shared/datasets/fer2013" });
 * const train = await loadImages(ds, { indices: splitIndices(ds.samples, "Training"), size: 48 });
 * train.pixels.length; // 28709 * 48 * 48
 * ```
 * @module
 */
import type { Dataset } from "./dataset.ts";
import { Progress } from "../util/progress.ts";

/** Options of {@link loadImages}. */
export interface LoadImagesOptions {
  /** Which samples (default: all, in order). */
  indices?: number[];
  /** Side every image is resized to (area averaging when shrinking). */
  size: number;
  /** Also decode the masks (datasets that have them). */
  masks?: boolean;
  /** Decodes in flight at once (default 8). */
  concurrency?: number;
  /** Progress label (default: the dataset name). */
  label?: string;
}

/** N images of size×size, row-major, image after image. */
export interface ImageBatch {
  size: number;
  count: number;
  /** count × size × size bytes. */
  pixels: Uint8Array;
  /** Label of each image (indexes the dataset's classes). */
  labels: Int32Array;
  /** The sample index of each image. */
  indices: number[];
  /** Present when `masks` was asked: count × size × size bytes, 255 where the expression signal is. */
  masks?: Uint8Array;
}

/** Decodes the chosen samples into one {@link ImageBatch}; the first failing file stops it with its error. */
export async function loadImages(ds: Dataset, opts: LoadImagesOptions): Promise<ImageBatch> {
  const indices = opts.indices ?? ds.samples.map((_, i) => i);
  const { size } = opts;
  const area = size * size;
  if (opts.masks && !ds.loadMask) throw new Error(`loadImages: dataset ${ds.name} has no masks`);
  for (const i of indices) {
    if (!(i >= 0 && i < ds.samples.length)) throw new Error(`loadImages: sample index ${i} out of range`);
  }
  const pixels = new Uint8Array(indices.length * area);
  const masks = opts.masks ? new Uint8Array(indices.length * area) : undefined;
  const labels = Int32Array.from(indices, (i) => ds.samples[i].label);
  const progress = new Progress({ label: opts.label ?? `decode ${ds.name}`, total: indices.length, unit: "img" });
  let next = 0;
  const worker = async () => {
    while (next < indices.length) {
      const k = next++;
      const sample = ds.samples[indices[k]];
      const img = await ds.load(sample, { size });
      if (img.width !== size || img.height !== size) {
        throw new Error(`${sample.path}: decoded to ${img.width}x${img.height}, expected ${size}x${size}`);
      }
      pixels.set(img.data, k * area);
      if (masks) masks.set((await ds.loadMask!(sample, { size })).data, k * area);
      progress.tick(1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  progress.done();
  return { size, count: indices.length, pixels, labels, indices, masks };
}
