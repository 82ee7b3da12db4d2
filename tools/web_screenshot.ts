/**
 * The README's picture of the page: web/ served with the shipped model (or `--model`), a generated scene of the synthetic faces
 * (no dataset picture) uploaded in headless Chromium on WASM, the page captured to web/screenshot.png.
 *
 * @example
 * ```sh
 * deno run -A tools/web_screenshot.ts
 * ```
 * @module
 */
import { join } from "node:path";
import sharp from "sharp";
import { modelDir } from "../lib/model/mod.ts";
import { startServer } from "../web/serve.ts";
import { Chromium } from "./chromium.ts";
import { PAGE_SCENE_SEED, pageScene, uploadPicture } from "./web_page.ts";
import { scriptArgs } from "./args.ts";

const { values: v } = scriptArgs(Deno.args, {
  command: "deno run -A tools/web_screenshot.ts",
  summary: "The README's picture of the page: a generated scene uploaded to web/ in headless Chromium, captured.",
  options: {
    model: { type: "string", help: "the model folder or shipped model name the page serves (default fer2013)" },
    out: { type: "string", default: "web/screenshot.png", help: "the PNG written" },
  },
});
const dir = await Deno.makeTempDir({ prefix: "fer-shot-" });
const server = await startServer({ model: modelDir(v.model ?? "fer2013"), port: 0 });
const browser = await Chromium.launch();
try {
  const img = await pageScene(PAGE_SCENE_SEED);
  const png = join(dir, "scene.png");
  await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(png);
  const page = await browser.newPage({ width: 1100, height: 720 });
  const state = await uploadPicture(page, `${server.url}?backend=wasm`, png);
  if (state.error) throw new Error(`the page failed: ${state.error}`);
  const shot = join(dir, "page.png");
  await page.screenshot(shot);
  await sharp(shot).resize({ width: 880 }).png({ palette: true, quality: 80 }).toFile(v.out);
  console.log(`${v.out}: ${state.faces.length} faces on ${state.backend}`);
} finally {
  await browser.close();
  await server.close();
  await Deno.remove(dir, { recursive: true });
}
