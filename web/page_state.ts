/**
 * What the page of web/ keeps in `globalThis.ferPage` after each picture or webcam frame: typed once, written by
 * web/app.ts and read by the browser tests and tools through tools/web_page.ts.
 *
 * @example
 * ```ts
 * const state = await page.evaluate<PageState>("ferPage");
 * if (state.ready) console.log(state.faces.map((f) => f.label));
 * ```
 * @module
 */
import type { Tta } from "../lib/model/tta.ts";
import type { FaceResult } from "../lib/photo/classify.ts";

/** One face as the page reports it: `fer predict --json`'s face, without the attention heat map. */
export type PageFace = Omit<FaceResult, "heatmap">;

/** `globalThis.ferPage`: what the page last did. */
export interface PageState {
  /** The tfjs backend the page runs on ("webgl" or "wasm"). */
  backend: string;
  ready: boolean;
  /** The uploaded file's name, or "webcam": where the last picture came from. */
  source: string;
  faces: PageFace[];
  /** Why `faces` is empty, when it is. */
  reason?: string;
  msPerFace: number | null;
  /** How many pictures the page has classified. */
  runs: number;
  /** The views averaged per face: the model's own test-time augmentation (fer-config.json's tta), as `fer predict`. */
  tta?: Tta;
  error?: string;
}
