/**
 * Deterministic, evenly spaced subsets: the peers' fast evaluation and the fast (CI) mode of the
 * experiments use them so every class of a class-sorted list stays represented.
 *
 * @example
 * ```ts
 * evenSubset([0, 1, 2, 3, 4, 5], 3); // [0, 2, 4]
 * const small = limitDataset(ds, { kind: "split", train: "Training", val: "PublicTest" }, 256, 128);
 * ```
 * @module
 */

/** `n` items spread evenly over the list (all of it when n ≥ length). */
export function evenSubset<T>(items: T[], n: number): T[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`subset size must be a non-negative integer, got ${n}`);
  if (n >= items.length) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

/** The dataset shape the limiter needs (lib/data's Dataset fits). */
export interface SubsettableDataset<S extends { split?: string }, I> {
  name: string;
  root: string;
  classes: string[];
  samples: S[];
  load(sample: S, opts?: { size?: number }): Promise<I>;
}

/**
 * A view of a dataset with fewer samples: for a split protocol at most `maxTrain` of the train split
 * and `maxVal` of the validation split; for k-fold at most `maxTrain + maxVal` samples in all.
 */
export function limitDataset<S extends { split?: string }, I>(
  ds: SubsettableDataset<S, I>,
  protocol: { kind: "split"; train: string; val: string } | { kind: "kfold" },
  maxTrain: number,
  maxVal: number,
): SubsettableDataset<S, I> {
  let samples: S[];
  if (protocol.kind === "split") {
    const tr = ds.samples.filter((s) => s.split === protocol.train);
    const va = ds.samples.filter((s) => s.split === protocol.val);
    if (tr.length === 0 || va.length === 0) {
      throw new Error(
        `${ds.name}: split "${protocol.train}" has ${tr.length} and "${protocol.val}" ${va.length} samples`,
      );
    }
    samples = [...evenSubset(tr, maxTrain), ...evenSubset(va, maxVal)];
  } else {
    samples = evenSubset(ds.samples, maxTrain + maxVal);
  }
  return { name: ds.name, root: ds.root, classes: ds.classes, samples, load: (s, o) => ds.load(s, o) };
}
