/**
 * A face's box in a photo, and the geometry around it: overlap (IoU), greedy non-maximum suppression, and the
 * square crop window a margin makes of a box.
 *
 * @example
 * ```ts
 * const kept = suppress([{ x: 10, y: 10, width: 50, height: 60, score: 0.9 }], 0.3);
 * const sq = squareWindow(kept[0], 0.2); // side = 1.2 · max(width, height), same centre
 * ```
 * @module
 */

/** A box in pixels of the (orientation-corrected) photo: top-left corner, size, and the detector's score in [0, 1]. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** Intersection over union of two boxes (0 when they do not overlap). */
export function iou(a: Omit<FaceBox, "score">, b: Omit<FaceBox, "score">): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Greedy non-maximum suppression: best score first, dropping boxes overlapping a kept one by more than `maxIou`. */
export function suppress(boxes: FaceBox[], maxIou: number): FaceBox[] {
  const kept: FaceBox[] = [];
  for (const b of [...boxes].sort((p, q) => q.score - p.score)) {
    if (kept.every((k) => iou(k, b) <= maxIou)) kept.push(b);
  }
  return kept;
}

/** The square of side `(1 + margin) · max(width, height)` centred on the box (it may reach outside the photo). */
export function squareWindow(box: Omit<FaceBox, "score">, margin: number): { x: number; y: number; side: number } {
  if (!(margin > -1)) throw new Error(`crop margin must be greater than -1, got ${margin}`);
  const side = (1 + margin) * Math.max(box.width, box.height);
  return { x: box.x + box.width / 2 - side / 2, y: box.y + box.height / 2 - side / 2, side };
}
