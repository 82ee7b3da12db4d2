/**
 * Which samples go where — the one place that routes a dataset's samples to splits and folds:
 * seeded, stratified k-fold (random, the paper's 5-fold, or subject-independent), official splits
 * (FER2013's Training / PublicTest), a validation or test part held out of a training set (whole
 * subjects together when asked), the split protocol of an experiment, and evenly spaced subsets.
 *
 * @example
 * ```ts
 * const folds = kFold(ds.samples, { k: 5, seed: 0, by: "subject" });
 * subjectOverlap(ds.samples, folds); // [] when no subject is in two folds
 * const { train, val, test } = splitProtocolIndices(ds, { train: "all", val: "holdout:0.2" }, 1);
 * const small = limitDataset(ds, { kind: "split", train: "Training", val: "PublicTest" }, 256, 128);
 * ```
 * @module
 */
import type { Dataset, Sample } from "./dataset.ts";
import { Rng } from "../util/rng.ts";

/** Options of {@link kFold}. */
export interface KFoldOptions {
  k: number;
  seed: number;
  /** "random": stratified over samples; "subject": stratified over whole subjects. */
  by: "random" | "subject";
}

/** Test-fold sample indices (each sorted ascending); every sample is in exactly one fold. */
export function kFold(samples: Sample[], opts: KFoldOptions): number[][] {
  const { k } = opts;
  if (!Number.isInteger(k) || k < 2) throw new Error(`kFold: k must be an integer >= 2, got ${k}`);
  if (samples.length < k) throw new Error(`kFold: ${samples.length} samples cannot fill ${k} folds`);
  const rng = new Rng(`kfold:${opts.seed}:${opts.by}`);
  const folds = opts.by === "subject" ? bySubject(samples, k, rng) : byRandom(samples, k, rng);
  return folds.map((f) => f.sort((a, b) => a - b));
}

function byRandom(samples: Sample[], k: number, rng: Rng): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  const byClass = new Map<number, number[]>();
  samples.forEach((s, i) => byClass.set(s.label, [...(byClass.get(s.label) ?? []), i]));
  let next = 0; // continue dealing where the last class stopped, so fold sizes differ by at most one
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const i of rng.shuffle(byClass.get(label)!)) {
      folds[next].push(i);
      next = (next + 1) % k;
    }
  }
  return folds;
}

function bySubject(samples: Sample[], k: number, rng: Rng): number[][] {
  const nClass = Math.max(...samples.map((s) => s.label)) + 1;
  const groups = new Map<string, number[]>();
  samples.forEach((s, i) => {
    if (s.subject === undefined) throw new Error(`kFold by subject: sample ${i} (${s.path}) has no subject`);
    groups.set(s.subject, [...(groups.get(s.subject) ?? []), i]);
  });
  if (groups.size < k) throw new Error(`kFold by subject: ${groups.size} subjects cannot fill ${k} folds`);
  const classTotals = new Array(nClass).fill(0);
  for (const s of samples) classTotals[s.label]++;
  const counts = (idx: number[]) => {
    const c = new Array(nClass).fill(0);
    for (const i of idx) c[samples[i].label]++;
    return c;
  };
  // Greedy stratified group assignment (as scikit-learn's StratifiedGroupKFold, but in seeded random
  // order so the seed matters): each subject joins the fold that keeps per-class fold proportions most
  // even; ties go to the smaller fold.
  const order = rng.shuffle([...groups.keys()]).map((g) => ({ g, c: counts(groups.get(g)!) }));
  const foldCounts: number[][] = Array.from({ length: k }, () => new Array(nClass).fill(0));
  const folds: number[][] = Array.from({ length: k }, () => []);
  for (const { g, c } of order) {
    let best = 0, bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      let cost = 0;
      for (let j = 0; j < nClass; j++) {
        if (classTotals[j] === 0) continue;
        cost += std(foldCounts.map((fc, ff) => (fc[j] + (ff === f ? c[j] : 0)) / classTotals[j]));
      }
      if (cost < bestCost - 1e-12 || (Math.abs(cost - bestCost) <= 1e-12 && folds[f].length < folds[best].length)) {
        best = f;
        bestCost = cost;
      }
    }
    for (let j = 0; j < nClass; j++) foldCounts[best][j] += c[j];
    folds[best].push(...groups.get(g)!);
  }
  return folds;
}

function std(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

/** Subjects that appear in more than one fold (empty for a subject-independent split). */
export function subjectOverlap(samples: Sample[], folds: number[][]): string[] {
  const seen = new Map<string, Set<number>>();
  folds.forEach((f, j) => {
    for (const i of f) {
      const s = samples[i].subject;
      if (s !== undefined) seen.set(s, (seen.get(s) ?? new Set()).add(j));
    }
  });
  return [...seen].filter(([, fs]) => fs.size > 1).map(([s]) => s).sort();
}

/** Indices of an official split's samples (`"all"`: every sample); an empty split is an error listing the splits. */
export function pickSplit(ds: Pick<Dataset, "name" | "samples">, name: string): number[] {
  const idx = ds.samples.flatMap((s, i) => (name === "all" || s.split === name ? [i] : []));
  if (idx.length === 0) {
    const have = [...new Set(ds.samples.map((s) => s.split ?? "(none)"))].join(", ");
    throw new Error(`${ds.name}: no samples in split "${name}" (splits: ${have}; use "all" for every sample)`);
  }
  return idx;
}

/** Splits training indices into train/val, keeping a subject's samples together when `by` is "subject". */
export function splitValidation(
  ds: Pick<Dataset, "samples">,
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

/** The parts of a split protocol: split names, or `holdout:F` to hold out a share F of the training split. */
export interface SplitRoute {
  train: string;
  /** Model selection and early stopping look at this part only. */
  val: string;
  /** The part evaluated and reported; default: the validation part (FER2013: PublicTest for both). */
  test?: string;
}

/**
 * Train, validation and test indices of a split protocol; refuses to select on PrivateTest. A held-out
 * part takes whole subjects where samples have them; the test part is held out first (seed `seed`),
 * then the validation part from what is left (seed `seed + 1`; `seed` when the test part is a split).
 */
export function splitProtocolIndices(
  ds: Pick<Dataset, "name" | "samples">,
  p: SplitRoute,
  seed: number,
): { train: number[]; val: number[]; test: number[] } {
  if (/privatetest/i.test(p.val)) {
    throw new Error("PrivateTest is FER2013's final test split: select models on PublicTest, never on PrivateTest");
  }
  const by = ds.samples.some((s) => s.subject) ? "subject" : "random";
  const holdout = (name: string | undefined) => {
    const m = name === undefined ? null : /^holdout:([0-9.]+)$/.exec(name);
    return m ? Number(m[1]) : null;
  };
  let train = pickSplit(ds, p.train), test: number[] | null = null;
  const testShare = holdout(p.test);
  if (testShare !== null) ({ train, val: test } = splitValidation(ds, train, { fraction: testShare, by, seed }));
  else if (p.test !== undefined) test = pickSplit(ds, p.test);
  const valShare = holdout(p.val);
  const parts = valShare === null
    ? { train, val: pickSplit(ds, p.val) }
    : splitValidation(ds, train, { fraction: valShare, by, seed: testShare !== null ? seed + 1 : seed });
  const out = { ...parts, test: test ?? parts.val };
  for (const [part, idx] of Object.entries(out)) {
    if (idx.length === 0) {
      throw new Error(
        `${ds.name}: the ${part} part of the split protocol train "${p.train}", val "${p.val}"` +
          `${p.test ? `, test "${p.test}"` : ""} is empty; expected samples in every part`,
      );
    }
  }
  return out;
}

/** `n` items spread evenly over the list (all of it when n ≥ length). */
export function evenSubset<T>(items: T[], n: number): T[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`subset size must be a non-negative integer, got ${n}`);
  if (n >= items.length) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

/**
 * A view of a dataset with fewer samples, evenly spaced so every class of a class-sorted list stays
 * represented: for a split protocol at most `maxTrain` of the train split and `maxVal` of the
 * validation split; for k-fold at most `maxTrain + maxVal` samples in all.
 */
export function limitDataset(
  ds: Dataset,
  protocol: { kind: "split"; train: string; val: string } | { kind: "kfold" },
  maxTrain: number,
  maxVal: number,
): Dataset {
  let samples: Sample[];
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
