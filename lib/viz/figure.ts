/**
 * Figures as data: an SVG string plus its PNG rendering. Observable Plot charts are rendered with linkedom's
 * DOM (no browser), composed into one standalone SVG (title, legends, plot), and rasterised with resvg using
 * the DejaVu fonts.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * const fig = renderPlot({ title: "Counts", marks: [Plot.barY([3, 5, 2])] });
 * await saveFigure(fig, "counts"); // outputs/counts.png + outputs/counts.svg
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { Resvg } from "@resvg/resvg-js";
import { FONT_FAMILY, fontFiles } from "./fonts.ts";

/** A rendered figure: standalone SVG text and the same picture as PNG bytes. */
export interface Figure {
  svg: string;
  png: Uint8Array;
  /** Pixel width of the PNG (and the SVG's user units). */
  width: number;
  height: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const TITLE_H = 26;
const SUBTITLE_H = 18;
const SWATCH_ROW_H = 20;

/** Escapes text for use inside SVG/HTML text and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Standard base64 of bytes (chunked, safe for large PNGs).
 *
 * @example
 * ```ts
 * toBase64(new Uint8Array([104, 105])); // "aGk="
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Rasterises a standalone SVG string to PNG with resvg, white background, DejaVu fonts only.
 *
 * @example
 * ```ts
 * const { png, width, height } = svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`);
 * ```
 */
export function svgToPng(svg: string): { png: Uint8Array; width: number; height: number } {
  const resvg = new Resvg(svg, {
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      monospaceFamily: "DejaVu Sans Mono",
    },
  });
  const img = resvg.render();
  return { png: new Uint8Array(img.asPng()), width: img.width, height: img.height };
}

/**
 * A {@link Figure} of a standalone SVG drawn elsewhere (e.g. the model diagram): the SVG plus its PNG, so a
 * notebook shows it even untrusted, where SVG outputs are hidden.
 *
 * @example
 * ```ts
 * show(svgFigure(modelDiagram(preset("paper"))));
 * ```
 */
export function svgFigure(svg: string): Figure {
  return { svg, ...svgToPng(svg) };
}

/**
 * Renders Observable Plot options to a {@link Figure}. `title`, `subtitle` and categorical colour legends
 * (which Plot draws as HTML) are redrawn as SVG so the result is one self-contained SVG file.
 *
 * @example
 * ```ts
 * const fig = renderPlot({ marks: [Plot.lineY([1, 3, 2])], title: "loss" });
 * fig.width; // 640
 * ```
 */
export function renderPlot(options: Plot.PlotOptions): Figure {
  // linkedom's typings describe the result as a browser Window; only its document is used.
  const { document } = parseHTML("<!doctype html><html><body></body></html>") as unknown as { document: unknown };
  const { title, subtitle, caption, ...rest } = options;
  const style = typeof rest.style === "object" && rest.style !== null ? rest.style : {};
  const el = Plot.plot({
    ...rest,
    style: { fontFamily: `${FONT_FAMILY}, sans-serif`, background: "white", ...style },
    document,
  } as Plot.PlotOptions) as unknown as DomNode;
  const svg = composeSvg(el, { title: textOf(title), subtitle: textOf(subtitle), caption: textOf(caption) });
  const raster = svgToPng(svg.svg);
  return { svg: svg.svg, png: raster.png, width: raster.width, height: raster.height };
}

function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return String(v);
}

/** The few DOM members used on linkedom's elements (the project's type-check has no DOM lib). */
interface DomNode {
  tagName: string;
  outerHTML: string;
  textContent: string | null;
  children: ArrayLike<DomNode>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelector(sel: string): DomNode | null;
  querySelectorAll(sel: string): ArrayLike<DomNode>;
}

interface Block {
  height: number;
  width: number;
  /** SVG markup placed at y offset. */
  draw(y: number): string;
}

/** Turns Plot's output (an <svg>, or a <figure> holding svgs and HTML swatch legends) into one SVG. */
function composeSvg(
  el: DomNode,
  text: { title?: string; subtitle?: string; caption?: string },
): { svg: string; width: number; height: number } {
  const parts = el.tagName.toLowerCase() === "svg" ? [el] : Array.from(el.children);
  const plots: Block[] = [];
  let width = 200;
  for (const part of parts) {
    if (part.tagName.toLowerCase() === "svg") width = Math.max(width, Number(part.getAttribute("width") ?? 640));
  }
  for (const part of parts) {
    const tag = part.tagName.toLowerCase();
    if (tag === "svg") {
      const w = Number(part.getAttribute("width") ?? 640);
      const h = Number(part.getAttribute("height") ?? 400);
      plots.push({
        width: w,
        height: h,
        draw: (y) => {
          part.setAttribute("x", "0");
          part.setAttribute("y", String(y));
          return part.outerHTML;
        },
      });
    } else if (tag === "div" && (part.getAttribute("class") ?? "").includes("swatches")) {
      plots.push(swatchBlock(part, width));
    }
    // <h2>/<h3>/<figcaption> come from title/subtitle/caption, which were removed before plotting.
  }
  const blocks: Block[] = [];
  if (text.title) blocks.push(textBlock(text.title, TITLE_H, 16, "bold"));
  if (text.subtitle) blocks.push(textBlock(text.subtitle, SUBTITLE_H, 12, "normal"));
  blocks.push(...plots);
  if (text.caption) blocks.push(textBlock(text.caption, SUBTITLE_H, 11, "normal"));
  let y = 0;
  const body: string[] = [];
  for (const b of blocks) {
    body.push(b.draw(y));
    y += b.height;
  }
  const height = Math.ceil(y);
  const svg = `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT_FAMILY}, sans-serif"><rect width="${width}" height="${height}" fill="white"/>` +
    body.join("") + `</svg>`;
  return { svg, width, height };
}

function textBlock(s: string, height: number, size: number, weight: string): Block {
  return {
    width: 0,
    height,
    draw: (y) =>
      `<text x="8" y="${y + height - 7}" font-size="${size}" font-weight="${weight}" fill="black">${
        escapeXml(s)
      }</text>`,
  };
}

/** Plot's categorical legend is HTML: <span><svg fill=COLOR>…</svg>LABEL</span>…; redraw it as SVG rows. */
function swatchBlock(div: DomNode, width: number): Block {
  const items = Array.from(div.querySelectorAll("span")).map((span) => ({
    color: span.querySelector("svg")?.getAttribute("fill") ?? "black",
    label: (span.textContent ?? "").trim(),
  }));
  // Lay out left to right, wrapping before an item that would cross the right edge.
  const placed: { x: number; row: number; color: string; label: string }[] = [];
  let x = 8, row = 0;
  for (const it of items) {
    const w = 16 + Math.ceil(it.label.length * 6.5) + 14;
    if (x > 8 && x + w > width) [x, row] = [8, row + 1];
    placed.push({ x, row, ...it });
    x += w;
  }
  return {
    width: 0,
    height: SWATCH_ROW_H * (row + 1),
    draw: (y) =>
      placed.map((p) => {
        const top = y + p.row * SWATCH_ROW_H;
        return `<rect x="${p.x}" y="${top + 3}" width="12" height="12" fill="${escapeXml(p.color)}"/>` +
          `<text x="${p.x + 16}" y="${top + 13}" font-size="11" fill="black">${escapeXml(p.label)}</text>`;
      }).join(""),
  };
}
