/**
 * The annotated picture of `fer predict --output`: the photo with, over each face, its F_m heat map (inside the
 * crop window the model saw), its box, and its label with the label's probability.
 *
 * @example
 * ```ts
 * await Deno.writeFile("annotated.png", await annotatePhoto(rgb, result.faces, { margin: CROP_MARGIN }));
 * ```
 * @module
 */
import { createCanvas } from "@napi-rs/canvas";
import type { RgbImage } from "../data/image.ts";
import { FONT_FAMILY } from "../viz/fonts.ts";
import { registerFonts } from "../viz/image_grid.ts";
import { squareWindow } from "./box.ts";
import type { FaceResult } from "./classify.ts";
import { blendHeat } from "./heat.ts";

/** PNG bytes of the photo annotated with `faces` (crop windows drawn at `margin`, that of the detection). */
export async function annotatePhoto(img: RgbImage, faces: FaceResult[], opts: { margin: number }): Promise<Uint8Array> {
  registerFonts();
  const { width, height } = img;
  const canvas = createCanvas(width, height), ctx = canvas.getContext("2d");
  const pixels = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    pixels.data.set([img.data[3 * i], img.data[3 * i + 1], img.data[3 * i + 2], 255], 4 * i);
  }
  for (const f of faces) {
    if (f.heatmap) blendHeat(pixels.data, width, height, f.heatmap, squareWindow(f.box, opts.margin));
  }
  ctx.putImageData(pixels, 0, 0);
  const px = Math.max(12, Math.round(Math.max(width, height) / 60));
  ctx.font = `bold ${px}px "${FONT_FAMILY}"`;
  ctx.lineWidth = Math.max(2, px / 6);
  for (const f of faces) {
    const { x, y, width: w, height: h } = f.box;
    ctx.strokeStyle = "#00e000";
    ctx.strokeRect(x, y, w, h);
    const text = `${f.label} ${(f.probabilities[f.label] * 100).toFixed(0)}%`;
    const ty = y > px + 4 ? y - 4 : y + h + px + 2, tw = ctx.measureText(text).width + 6;
    const tx = Math.max(0, Math.min(x, width - tw));
    ctx.fillStyle = "rgba(0,0,0,0.6)";
    ctx.fillRect(tx, ty - px, tw, px + 4);
    ctx.fillStyle = "#ffffff";
    ctx.fillText(text, tx + 3, ty);
  }
  return new Uint8Array(await canvas.encode("png"));
}
