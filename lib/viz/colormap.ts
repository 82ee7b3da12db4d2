/**
 * Colour maps from a value in [0, 1] to RGB bytes: gray, jet (as used for attention maps) and viridis.
 *
 * @example
 * ```ts
 * colormap("jet", 0.5); // [128, 255, 128]-ish
 * ```
 * @module
 */

/** Names of the supported colour maps. */
export type ColormapName = "gray" | "jet" | "viridis";

// Viridis sampled at 9 evenly spaced stops (matplotlib's values), linearly interpolated in between.
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/**
 * Maps v (clamped to [0, 1]) to `[r, g, b]` bytes.
 *
 * @example
 * ```ts
 * colormap("gray", 1); // [255, 255, 255]
 * ```
 */
export function colormap(name: ColormapName, v: number): [number, number, number] {
  const t = clamp01(v);
  if (name === "gray") {
    const g = Math.round(t * 255);
    return [g, g, g];
  }
  if (name === "jet") {
    const f = (x: number) => Math.round(255 * clamp01(1.5 - Math.abs(4 * t - x)));
    return [f(3), f(2), f(1)];
  }
  if (name === "viridis") {
    const pos = t * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
    const w = pos - i;
    const a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * w)) as [number, number, number];
  }
  throw new Error(`unknown colormap "${name}" (expected gray, jet or viridis)`);
}
