/**
 * A grid of small images (faces, LBP maps, augmentations, attention maps) drawn with @napi-rs/canvas, each
 * tile scaled up with nearest-neighbour sampling and labelled underneath.
 *
 * @example
 * ```ts
 * const img = { width: 48, height: 48, data: new Uint8Array(48 * 48).fill(128) };
 * const fig = imageGrid({ images: [img, img], labels: ["a", "b"], columns: 2, scale: 2 });
 * ```
 * @module
 */
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import type { FloatMap, GrayImage } from "../data/image.ts";
import { colormap, type ColormapName } from "./colormap.ts";
import { escapeXml, type Figure, toBase64 } from "./figure.ts";
import { FONT_FAMILY, fontFiles } from "./fonts.ts";

/** One tile or overlay map: 8-bit (0..255) or float (0..1) values, row-major. */
export type Tile = GrayImage | FloatMap;

/** A heatmap blended over each tile (e.g. an attention map); resized bilinearly to the image size. */
export interface HeatmapOverlay {
  /** One map per image (same order); `null` leaves that tile without overlay. */
  maps: (Tile | null)[];
  /** Opacity of the heatmap, 0..1 (default 0.45). */
  alpha?: number;
  /** Default "jet". */
  colormap?: ColormapName;
  /**
   * Which values span the colour map: `"each"` (default) each map's own min..max, `"shared"` the min..max
   * over all maps (tiles comparable), or a fixed `[lo, hi]`.
   */
  range?: "each" | "shared" | [number, number];
  /** Draws a colour bar under the grid with this caption, its ends labelled with the range's values. */
  colorbar?: string;
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  images: Tile[];
  labels?: string[];
  /** Tiles per row (default: min(8, images.length)). */
  columns?: number;
  /** Integer zoom of every tile (default 2). */
  scale?: number;
  /** How pixel values are coloured (default "gray"). */
  colormap?: ColormapName;
  overlay?: HeatmapOverlay;
  title?: string;
}

const PAD = 6;
const LABEL_H = 16;
const TITLE_H = 24;
/** Colour bar strip: caption line, bar, value labels. */
const BAR_H = 46;
const BAR_W = 220;
const TITLE_FONT = `bold 15px "${FONT_FAMILY}"`;
let fontsRegistered = false;

/** Registers the DejaVu files with @napi-rs/canvas (once per process). */
export function registerFonts(): void {
  if (fontsRegistered) return;
  for (const f of fontFiles()) GlobalFonts.registerFromPath(f, f.includes("Mono") ? "DejaVu Sans Mono" : FONT_FAMILY);
  fontsRegistered = true;
}

function valueAt(img: Tile, i: number): number {
  return img.data instanceof Uint8Array ? img.data[i] / 255 : img.data[i];
}

function checkImage(img: Tile, what: string): void {
  if (!(img.width > 0 && img.height > 0) || img.data.length !== img.width * img.height) {
    throw new Error(
      `imageGrid: ${what} has data of length ${img.data.length}, expected width*height = ` +
        `${img.width}*${img.height} = ${img.width * img.height} (single-channel)`,
    );
  }
}

/** Smallest and largest value of the maps. */
function extent(maps: (Tile | null)[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const map of maps) {
    if (!map) continue;
    for (let i = 0; i < map.data.length; i++) {
      const v = valueAt(map, i);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** Bilinear sample of map at continuous coordinates scaled to (w, h), mapped from [lo, hi] to [0, 1]. */
function resizedMap(map: Tile, w: number, h: number, [lo, hi]: [number, number]): Float32Array {
  const span = hi > lo ? hi - lo : 1;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(map.height - 1, Math.max(0, ((y + 0.5) * map.height) / h - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(map.height - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(map.width - 1, Math.max(0, ((x + 0.5) * map.width) / w - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(map.width - 1, x0 + 1), fx = sx - x0;
      const v = (valueAt(map, y0 * map.width + x0) * (1 - fx) + valueAt(map, y0 * map.width + x1) * fx) * (1 - fy) +
        (valueAt(map, y1 * map.width + x0) * (1 - fx) + valueAt(map, y1 * map.width + x1) * fx) * fy;
      out[y * w + x] = (v - lo) / span;
    }
  }
  return out;
}

/**
 * Lays the images out in a grid on a white background; returns PNG bytes and an SVG embedding them.
 *
 * @example
 * ```ts
 * const fig = imageGrid({ images: faces, labels: names, columns: 7, colormap: "gray" });
 * show(fig);
 * ```
 */
export function imageGrid(opts: ImageGridOptions): Figure {
  const { images } = opts;
  if (images.length === 0) throw new Error("imageGrid: no images given");
  images.forEach((img, i) => checkImage(img, `image ${i}`));
  if (opts.labels && opts.labels.length !== images.length) {
    throw new Error(`imageGrid: ${images.length} images but ${opts.labels.length} labels`);
  }
  const maps = opts.overlay?.maps;
  if (maps) {
    if (maps.length !== images.length) {
      throw new Error(`imageGrid: ${images.length} images but ${maps.length} overlay maps`);
    }
    maps.forEach((m, i) => m && checkImage(m, `overlay map ${i}`));
  }
  const scale = Math.max(1, Math.round(opts.scale ?? 2));
  const columns = Math.max(1, Math.min(images.length, opts.columns ?? 8));
  const rows = Math.ceil(images.length / columns);
  const tileW = Math.max(...images.map((m) => m.width)) * scale;
  const tileH = Math.max(...images.map((m) => m.height)) * scale;
  const labelH = opts.labels ? LABEL_H : 0;
  const titleH = opts.title ? TITLE_H : 0;
  const barH = maps && opts.overlay?.colorbar !== undefined ? BAR_H : 0;
  registerFonts();
  // The canvas is at least as wide as the title and the colour bar, so neither is clipped.
  const measure = createCanvas(1, 1).getContext("2d");
  measure.font = TITLE_FONT;
  const titleW = opts.title ? Math.ceil(measure.measureText(opts.title).width) + 2 * PAD : 0;
  const gridW = PAD + columns * (tileW + PAD);
  const width = Math.max(gridW, titleW, barH ? BAR_W + 2 * PAD + 80 : 0);
  const gridH = titleH + PAD + rows * (tileH + labelH + PAD);
  const height = gridH + barH;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "white";
  ctx.fillRect(0, 0, width, height);
  const cmap = opts.colormap ?? "gray";
  const alpha = Math.min(1, Math.max(0, opts.overlay?.alpha ?? 0.45));
  const overlayMap = opts.overlay?.colormap ?? "jet";
  const range = opts.overlay?.range ?? "each";
  const shared: [number, number] | undefined = !maps
    ? undefined
    : range === "shared"
    ? extent(maps)
    : Array.isArray(range)
    ? range
    : undefined;
  images.forEach((img, k) => {
    const w = img.width * scale, h = img.height * scale;
    const rgba = ctx.createImageData(w, h);
    const map = maps?.[k];
    const heat = map ? resizedMap(map, img.width, img.height, shared ?? extent([map])) : undefined;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = y * img.width + x;
        let [r, g, b] = colormap(cmap, valueAt(img, i));
        if (heat) {
          const [hr, hg, hb] = colormap(overlayMap, heat[i]);
          r = r * (1 - alpha) + hr * alpha;
          g = g * (1 - alpha) + hg * alpha;
          b = b * (1 - alpha) + hb * alpha;
        }
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const o = ((y * scale + dy) * w + x * scale + dx) * 4;
            rgba.data[o] = r;
            rgba.data[o + 1] = g;
            rgba.data[o + 2] = b;
            rgba.data[o + 3] = 255;
          }
        }
      }
    }
    const col = k % columns, row = Math.floor(k / columns);
    const x0 = PAD + col * (tileW + PAD);
    const y0 = titleH + PAD + row * (tileH + labelH + PAD);
    ctx.putImageData(rgba, x0, y0);
    if (opts.labels) {
      ctx.fillStyle = "black";
      ctx.font = `11px "${FONT_FAMILY}"`;
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillText(fitLabel(opts.labels[k], tileW), x0 + tileW / 2, y0 + tileH + 2, tileW);
    }
  });
  if (barH) drawColorbar(ctx, { x: PAD, y: gridH, colormap: overlayMap, caption: opts.overlay!.colorbar!, shared });
  if (opts.title) {
    ctx.fillStyle = "black";
    ctx.font = TITLE_FONT;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(opts.title, PAD, TITLE_H / 2 + 2);
  }
  const png = new Uint8Array(canvas.toBuffer("image/png"));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}">${opts.title ? `<title>${escapeXml(opts.title)}</title>` : ""}` +
    `<image width="${width}" height="${height}" href="data:image/png;base64,${toBase64(png)}"/></svg>`;
  return { svg, png, width, height };
}

type Context = ReturnType<ReturnType<typeof createCanvas>["getContext"]>;

/** A horizontal colour bar: caption above, the colour map left to right, its end values below. */
function drawColorbar(
  ctx: Context,
  o: { x: number; y: number; colormap: ColormapName; caption: string; shared?: [number, number] },
): void {
  const barY = o.y + 16, barHeight = 12;
  for (let i = 0; i < BAR_W; i++) {
    const [r, g, b] = colormap(o.colormap, i / (BAR_W - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(o.x + i, barY, 1, barHeight);
  }
  ctx.strokeStyle = "#444";
  ctx.lineWidth = 1;
  ctx.strokeRect(o.x + 0.5, barY + 0.5, BAR_W - 1, barHeight - 1);
  ctx.fillStyle = "black";
  ctx.font = `11px "${FONT_FAMILY}"`;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(o.caption, o.x, o.y + 2);
  const [lo, hi] = o.shared ? o.shared.map(formatValue) : ["min", "max"];
  ctx.fillText(lo, o.x, barY + barHeight + 2);
  ctx.textAlign = "right";
  ctx.fillText(hi, o.x + BAR_W, barY + barHeight + 2);
  if (!o.shared) {
    ctx.textAlign = "left";
    ctx.fillText("(of each map)", o.x + BAR_W + 6, barY);
  }
}

function formatValue(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3);
}

function fitLabel(label: string, px: number): string {
  const max = Math.max(3, Math.floor(px / 6.5));
  return label.length <= max ? label : label.slice(0, max - 1) + "…";
}
