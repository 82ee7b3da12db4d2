/**
 * The noise of one accuracy on a fixed test set: the binomial standard error √(p(1−p)/n), in points. On
 * FER2013's 3,589 PublicTest faces it is ≈ 0.8 points at 55–65%, so two rows whose gap is under ~2.3 points
 * (three standard errors of the difference) are not told apart by one run each.
 *
 * @example
 * ```ts
 * binomialSe(0.5584, 3589); // 0.83 (points)
 * faceCount({ confusion: [[5, 1], [2, 7]] }); // 15
 * ```
 * @module
 */

/** The binomial standard error of accuracy `p` (in [0, 1]) on `n` test faces, in percentage points. */
export function binomialSe(p: number, n: number): number {
  if (!(p >= 0 && p <= 1) || !(Number.isInteger(n) && n > 0)) {
    throw new Error(`binomialSe: accuracy must lie in [0, 1] and the face count be a positive integer, got ${p}, ${n}`);
  }
  return 100 * Math.sqrt(p * (1 - p) / n);
}

/** The test faces an evaluation counted: the sum of its confusion matrix; null when it has none. */
export function faceCount(report: { confusion?: number[][] } | undefined): number | null {
  const m = report?.confusion;
  if (!Array.isArray(m) || m.length === 0) return null;
  const n = m.flat().reduce((s, v) => s + v, 0);
  return n > 0 ? n : null;
}
