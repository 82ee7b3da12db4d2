/**
 * The validation split taken off a training set: a seeded fraction of the samples, keeping each
 * subject's samples together when asked. Model selection and early stopping look at this part only.
 * (A module of its own, free of file writers, so tools/gpu_learn.ts's offline bundle can use it.)
 *
 * @example
 * ```ts
 * const { train, val } = splitValidation(ds, trainIdx, { fraction: 0.1, by: "subject", seed: 1 });
 * ```
 * @module
 */
import { Rng } from "../util/rng.ts";
import type { Dataset } from "../data/dataset.ts";

/** Splits training indices into train/val, keeping a subject's samples together when `by` is "subject". */
export function splitValidation(
  ds: Dataset,
  indices: number[],
  opts: { fraction: number; by: "random" | "subject"; seed: number },
): { train: number[]; val: number[] } {
  if (opts.fraction <= 0) return { train: [...indices], val: [] };
  const rng = new Rng(`${opts.seed}:val`);
  const key = (i: number) => (opts.by === "subject" ? ds.samples[i].subject ?? `#${i}` : `#${i}`);
  const groups = [...new Set(indices.map(key))].sort();
  rng.shuffle(groups);
  const want = Math.max(1, Math.round(indices.length * opts.fraction));
  const valKeys = new Set<string>();
  let n = 0;
  const count = new Map<string, number>();
  for (const i of indices) count.set(key(i), (count.get(key(i)) ?? 0) + 1);
  for (const g of groups) {
    if (n >= want) break;
    valKeys.add(g);
    n += count.get(g)!;
  }
  return { train: indices.filter((i) => !valKeys.has(key(i))), val: indices.filter((i) => valKeys.has(key(i))) };
}
