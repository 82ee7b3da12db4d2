/**
 * Evaluation protocols: seeded, deterministic, stratified k-fold — random (the paper's 5-fold) or
 * subject-independent (no subject in two folds) — and the official FER2013 split.
 *
 * @example
 * ```ts
 * const folds = kFold(ds.samples, { k: 5, seed: 0, by: "subject" });
 * const { train, test } = foldSplit(folds, 0);
 * subjectOverlap(ds.samples, folds); // [] when no subject is in two folds
 * ```
 * @module
 */
import type { Sample } from "./dataset.ts";
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

/** Train/test indices for fold `i` of {@link kFold}'s output. */
export function foldSplit(folds: number[][], i: number): { train: number[]; test: number[] } {
  if (!(i >= 0 && i < folds.length)) throw new Error(`foldSplit: fold ${i} out of range 0..${folds.length - 1}`);
  const train = folds.flatMap((f, j) => (j === i ? [] : f)).sort((a, b) => a - b);
  return { train, test: folds[i] };
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

/** Indices of the official split(s), e.g. `splitIndices(fer.samples, "PublicTest")`. */
export function splitIndices(samples: Sample[], ...splits: string[]): number[] {
  const want = new Set(splits);
  const out: number[] = [];
  samples.forEach((s, i) => {
    if (s.split !== undefined && want.has(s.split)) out.push(i);
  });
  if (out.length === 0) throw new Error(`no samples in split ${splits.join(", ")}`);
  return out;
}
