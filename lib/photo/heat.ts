/**
 * The F_m heat map drawn over a face: the map (S/8 × S/8) stretched bilinearly over the face's crop window,
 * scaled to its own min..max, coloured with the jet map and blended into RGBA pixels. Free of Deno APIs (the page
 * draws with it too).
 *
 * @example
 * ```ts
 * blendHeat(rgba, width, height, face.heatmap!, squareWindow(face.box, margin), 0.45);
 * ```
 * @module
 */
import type { FloatMap } from "../data/image.ts";
import { colormap } from "../viz/colormap.ts";

/** Blends `map` over the square window `win` of an RGBA picture (`rgba.length = 4·width·height`), in place. */
export function blendHeat(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  map: FloatMap,
  win: { x: number; y: number; side: number },
  alpha = 0.45,
): void {
  let lo = Infinity, hi = -Infinity;
  for (const v of map.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const span = hi - lo || 1;
  const x0 = Math.max(0, Math.floor(win.x)), x1 = Math.min(width, Math.ceil(win.x + win.side));
  const y0 = Math.max(0, Math.floor(win.y)), y1 = Math.min(height, Math.ceil(win.y + win.side));
  const at = (mx: number, my: number) => map.data[my * map.width + mx];
  for (let y = y0; y < y1; y++) {
    const fy = Math.min(map.height - 1, Math.max(0, ((y + 0.5 - win.y) / win.side) * map.height - 0.5));
    const my = Math.floor(fy), wy = fy - my, my1 = Math.min(map.height - 1, my + 1);
    for (let x = x0; x < x1; x++) {
      const fx = Math.min(map.width - 1, Math.max(0, ((x + 0.5 - win.x) / win.side) * map.width - 0.5));
      const mx = Math.floor(fx), wx = fx - mx, mx1 = Math.min(map.width - 1, mx + 1);
      const v = (at(mx, my) * (1 - wx) + at(mx1, my) * wx) * (1 - wy) +
        (at(mx, my1) * (1 - wx) + at(mx1, my1) * wx) * wy;
      const c = colormap("jet", (v - lo) / span), o = 4 * (y * width + x);
      for (let k = 0; k < 3; k++) rgba[o + k] = Math.round(rgba[o + k] * (1 - alpha) + c[k] * alpha);
    }
  }
}
