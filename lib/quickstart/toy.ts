/**
 * A toy problem for the quickstart chapter: small procedural grayscale patterns in three classes (horizontal
 * stripes, vertical stripes, a centred blob) with seeded Gaussian noise, and a nearest-class-mean classifier.
 * Real computation, tiny enough to run in a second, so the tour shows honest figures.
 *
 * @example
 * ```ts
 * const rng = new Rng(1);
 * const train = toyPatterns({ perClass: 20, rng });
 * const test = toyPatterns({ perClass: 10, rng });
 * const model = fitNearestMean(train);
 * const cm = confusionMatrix(test.labels, predictNearestMean(model, test.images), TOY_CLASSES.length); // lib/eval
 * ```
 * @module
 */
import type { Rng } from "../util/rng.ts";

/** Class names of {@link toyPatterns}, index = label. */
export const TOY_CLASSES: string[] = ["h-stripes", "v-stripes", "blob"];

/** Images (Float32 in 0..1, size*size each) with integer labels. */
export interface ToySet {
  size: number;
  images: Float32Array[];
  labels: number[];
}

/** Options of {@link toyPatterns}. */
export interface ToyOptions {
  perClass: number;
  rng: Rng;
  /** Side length in pixels (default 16). */
  size?: number;
  /** Standard deviation of the added noise (default 0.35). */
  noise?: number;
}

function pattern(label: number, x: number, y: number, size: number, phase: number): number {
  if (label === 0) return 0.5 + 0.5 * Math.sin((y + phase) * 1.3);
  if (label === 1) return 0.5 + 0.5 * Math.sin((x + phase) * 1.3);
  const c = (size - 1) / 2;
  return Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * (size / 5 + phase / 4) ** 2));
}

/**
 * Generates `perClass` noisy samples of each class, classes interleaved.
 *
 * @example
 * ```ts
 * toyPatterns({ perClass: 2, rng: new Rng(0) }).labels; // [0, 1, 2, 0, 1, 2]
 * ```
 */
export function toyPatterns(opts: ToyOptions): ToySet {
  const size = opts.size ?? 16;
  const noise = opts.noise ?? 0.35;
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let k = 0; k < opts.perClass; k++) {
    for (let label = 0; label < TOY_CLASSES.length; label++) {
      const phase = opts.rng.uniform(0, 4);
      const img = new Float32Array(size * size);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = pattern(label, x, y, size, phase) + noise * opts.rng.normal();
          img[y * size + x] = Math.min(1, Math.max(0, v));
        }
      }
      images.push(img);
      labels.push(label);
    }
  }
  return { size, images, labels };
}

/** Per-class mean images. */
export interface NearestMeanModel {
  means: Float32Array[];
}

/**
 * Averages the images of each class.
 *
 * @example
 * ```ts
 * const { means } = fitNearestMean(train); // means[c] is the mean image of class c
 * ```
 */
export function fitNearestMean(set: ToySet): NearestMeanModel {
  const n = set.size * set.size;
  const means = TOY_CLASSES.map(() => new Float32Array(n));
  const counts = TOY_CLASSES.map(() => 0);
  set.images.forEach((img, i) => {
    const m = means[set.labels[i]];
    for (let j = 0; j < n; j++) m[j] += img[j];
    counts[set.labels[i]]++;
  });
  counts.forEach((c, k) => {
    if (c === 0) throw new Error(`fitNearestMean: class ${k} (${TOY_CLASSES[k]}) has no training images`);
    for (let j = 0; j < n; j++) means[k][j] /= c;
  });
  return { means };
}

/**
 * Label of the closest class mean (squared Euclidean distance) for each image.
 *
 * @example
 * ```ts
 * const predicted = predictNearestMean(model, test.images);
 * ```
 */
export function predictNearestMean(model: NearestMeanModel, images: Float32Array[]): number[] {
  return images.map((img) => {
    let best = 0, bestD = Infinity;
    model.means.forEach((m, k) => {
      let d = 0;
      for (let j = 0; j < img.length; j++) d += (img[j] - m[j]) ** 2;
      if (d < bestD) [best, bestD] = [k, d];
    });
    return best;
  });
}
