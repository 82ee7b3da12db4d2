/**
 * Driving the page of web/ in headless Chromium: upload a picture and read the page's result, and a .y4m clip
 * for Chromium's fake webcam. Used by tests/web_browser_test.ts and tools/web_screenshot.ts.
 *
 * @example
 * ```ts
 * const state = await uploadPicture(page, server.url, "scene.png");
 * await Deno.writeFile("scene.y4m", y4m(rgb));
 * ```
 * @module
 */
import { loadDataset, type RgbImage } from "../lib/data/mod.ts";
import { makeScene } from "../lib/photo/mod.ts";
import { Rng } from "../lib/util/mod.ts";
import type { PageState } from "../web/page_state.ts";
import type { Page } from "./chromium.ts";

export type { PageFace, PageState } from "../web/page_state.ts";

/** Flags that give headless Chromium software WebGL (SwiftShader) on a machine without a GPU. */
export const WEBGL_FLAGS: readonly string[] = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"];

/** A few frames of `img` as YUV4MPEG2 4:2:0 (what Chromium's fake capture device plays). */
export function y4m(img: RgbImage, frames = 5): Uint8Array {
  const { width: w, height: h, data: d } = img, ySize = w * h, cSize = (w / 2) * (h / 2);
  const frame = new Uint8Array(ySize + 2 * cSize);
  for (let i = 0; i < ySize; i++) frame[i] = Math.round(0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2]);
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      const o = 3 * (2 * y * w + 2 * x), [r, g, b] = [d[o], d[o + 1], d[o + 2]], c = y * (w / 2) + x;
      frame[ySize + c] = Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      frame[ySize + cSize + c] = Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const head = new TextEncoder().encode(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`);
  const tag = new TextEncoder().encode("FRAME\n");
  const out = new Uint8Array(head.length + frames * (tag.length + frame.length));
  out.set(head);
  for (let f = 0; f < frames; f++) {
    const at = head.length + f * (tag.length + frame.length);
    out.set(tag, at);
    out.set(frame, at + tag.length);
  }
  return out;
}

/** Opens the page, uploads `file` twice (the first run compiles WebGL's shaders) and returns the second result. */
export async function uploadPicture(page: Page, url: string, file: string): Promise<PageState> {
  await page.goto(url, { ready: "globalThis.ferPage && (ferPage.ready || ferPage.error)", timeoutS: 180 });
  const { root } = await page.send("DOM.getDocument") as { root: { nodeId: number } };
  const { nodeId } = await page.send("DOM.querySelector", { nodeId: root.nodeId, selector: "#file" }) as {
    nodeId: number;
  };
  // Twice: the first run includes compiling WebGL's shaders; the second is what a user waits for.
  await page.send("DOM.setFileInputFiles", { nodeId, files: [file] });
  await page.waitFor("ferPage.runs > 0 || ferPage.error", 180, "the page's result");
  await page.evaluate("document.getElementById('file').value = ''");
  await page.send("DOM.setFileInputFiles", { nodeId, files: [file] });
  await page.waitFor("ferPage.runs > 1 || ferPage.error", 180, "the page's second result");
  return await page.evaluate<PageState>("ferPage");
}

/**
 * The seed of the page's scene in its test and its screenshot: its three faces score 0.55–0.87 at BlazeFace's
 * first look and 0.72–0.83 at its second, clear of both thresholds (seed 2's weakest face looks again at 0.66,
 * where the backends' rounding could decide it).
 */
export const PAGE_SCENE_SEED = 1;

/** A scene of synthetic faces with at least two faces, even-sized (for the .y4m's 4:2:0 planes). */
export async function pageScene(seed: number): Promise<RgbImage> {
  const ds = await loadDataset({ dataset: "synthetic", n: 40, seed: 7 });
  const faces = await Promise.all(ds.samples.map((s) => ds.load(s, { size: 48 })));
  const rng = new Rng(seed);
  for (;;) {
    const s = makeScene(faces, rng, { maxFaces: 4, minWidth: 640, maxWidth: 640 });
    if (s.faces.length < 2) continue;
    const w = s.image.width & ~1, h = s.image.height & ~1, data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      data.set(s.image.data.subarray(y * s.image.width * 3, (y * s.image.width + w) * 3), y * w * 3);
    }
    return { width: w, height: h, data };
  }
}
