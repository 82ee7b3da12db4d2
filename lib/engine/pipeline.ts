/**
 * The input pipeline: dataset indices → shuffled, augmented batches of `{raw, lbp?, labels}`.
 *
 * Per sample: decode once (kept in an in-memory cache), apply the random affine augmentation to the
 * raw picture, then compute LBP from the *augmented* raw picture so both streams see the same face.
 * Batches are assembled on the host (typed arrays); the next batch is prepared while the caller
 * trains on the current one (decoding is async file I/O, so it overlaps the training step).
 * Everything random comes from one seeded {@link Rng}, consumed in a fixed order, so an epoch is
 * reproducible from its seed alone.
 *
 * @example
 * ```ts
 * const cache = new ImageCache(dataset, 48);
 * for await (const b of hostBatches({ cache, indices, batchSize: 32, rng: new Rng("e1"), shuffle: true })) {
 *   const { inputs, labels } = toTensors(b, { numClasses: 7 });
 * }
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../util/rng.ts";
import { type Dataset, labelOf } from "../data/dataset.ts";
import type { GrayImage } from "../data/image.ts";
import { type AugmentFn, inputTensors, type LbpFn, type PackedInputs, packInputs } from "./inputs.ts";

/** Decoded pictures of one dataset at one size, kept in memory up to a byte budget. */
export class ImageCache {
  readonly dataset: Dataset;
  readonly size: number;
  #images = new Map<number, Promise<GrayImage>>();
  #bytes = 0;
  #limit: number;

  /** `limitBytes` (default 1 GiB) caps the memory held; beyond it pictures are decoded each time. */
  constructor(dataset: Dataset, size: number, limitBytes = 1 << 30) {
    this.dataset = dataset;
    this.size = size;
    this.#limit = limitBytes;
  }

  /** The decoded picture of sample `index`, `size`×`size`. */
  get(index: number): Promise<GrayImage> {
    const hit = this.#images.get(index);
    if (hit) return hit;
    const sample = this.dataset.samples[index];
    if (!sample) throw new Error(`${this.dataset.name}: no sample ${index} (has ${this.dataset.samples.length})`);
    const p = this.dataset.load(sample, { size: this.size }).then((img) => {
      if (img.width !== this.size || img.height !== this.size || img.data.length !== this.size * this.size) {
        throw new Error(
          `${sample.path}: expected a ${this.size}x${this.size} picture from ${this.dataset.name}.load, got ${img.width}x${img.height}`,
        );
      }
      return img;
    });
    if (this.#bytes + this.size * this.size <= this.#limit) {
      this.#images.set(index, p);
      this.#bytes += this.size * this.size;
      p.catch(() => this.#images.delete(index));
    }
    return p;
  }
}

/** One batch on the host: packed inputs (see {@link packInputs}) and labels. */
export interface HostBatch extends PackedInputs {
  labels: Int32Array;
  /** Dataset indices of the samples, in batch order. */
  indices: number[];
}

/** Options of {@link hostBatches}. */
export interface BatchOptions {
  cache: ImageCache;
  indices: number[];
  batchSize: number;
  /** Drives shuffling and augmentation; consumed in a fixed order. */
  rng?: Rng;
  shuffle?: boolean;
  augment?: AugmentFn | null;
  lbp?: LbpFn | null;
}

/** Number of batches for `n` samples (the last one may be short). */
export function batchCount(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

/** Yields the batches of one pass over `indices`, preparing batch b+1 while b is being used. */
export async function* hostBatches(opts: BatchOptions): AsyncGenerator<HostBatch> {
  if (!(opts.batchSize >= 1)) throw new Error(`batchSize must be ≥ 1, got ${opts.batchSize}`);
  if ((opts.shuffle || opts.augment) && !opts.rng) throw new Error("hostBatches: shuffle/augment need an rng");
  const order = [...opts.indices];
  if (opts.shuffle) opts.rng!.shuffle(order);
  const nb = batchCount(order.length, opts.batchSize);
  if (nb === 0) return;
  const build = (b: number) => buildBatch(order.slice(b * opts.batchSize, (b + 1) * opts.batchSize), opts);
  let next = build(0);
  for (let b = 0; b < nb; b++) {
    const cur = await next;
    if (b + 1 < nb) next = build(b + 1);
    yield cur;
  }
}

async function buildBatch(idx: number[], opts: BatchOptions): Promise<HostBatch> {
  const ds = opts.cache.dataset;
  const images = await Promise.all(idx.map((i) => opts.cache.get(i)));
  const labels = Int32Array.from(idx, (di) => labelOf(ds, ds.samples[di]));
  const seen = opts.augment ? images.map((img) => opts.augment!(img, opts.rng!)) : images;
  const packed = packInputs(seen, { size: opts.cache.size, lbp: opts.lbp, names: (k) => ds.samples[idx[k]].path });
  return { ...packed, labels, indices: idx };
}

/** Model inputs (`[raw]` or `[raw, lbp]`) and one-hot labels of a host batch; the caller disposes them. */
export function toTensors(b: HostBatch, opts: { numClasses: number }): {
  inputs: tf.Tensor4D[];
  labels: tf.Tensor2D;
} {
  const inputs = inputTensors(b);
  const labels = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(b.labels, "int32"), opts.numClasses), "float32") as tf.Tensor2D
  );
  return { inputs, labels };
}
