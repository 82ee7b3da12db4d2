/**
 * Tiny dataset trees in official layouts, for loader tests and demos (never real data), and the switch
 * of tests that need real data.
 *
 * @example
 * ```ts
 * const root = await writeTree({ "KA.AN1.39.tiff": patternImage(1), "README": "text" });
 * ```
 * @module
 */
import { dirname, join } from "node:path";
import { type GrayImage, writeImage } from "./image.ts";
import { missingDataset } from "./paths.ts";

/** A small deterministic image whose pixels encode `id` (so tests can tell files apart). */
export function patternImage(id: number, size = 8): GrayImage {
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = (id * 37 + i * 11) % 256;
  return { width: size, height: size, data };
}

/** Writes files (images by extension, strings as text) under a new temp dir; returns its path. */
export async function writeTree(files: Record<string, GrayImage | string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "fer-fixture-" });
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    await Deno.mkdir(dirname(p), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(p, content);
    else await writeImage(p, content);
  }
  return root;
}

/**
 * The name and switch of a test that needs `<datasets root>/<folder>`: skipped without it, and then its
 * name says what is missing.
 *
 * @example
 * ```ts
 * Deno.test({ ...needsDataset("ckplus48", "real CK+48 has 981 images"), fn() {} });
 * ```
 */
export function needsDataset(folder: string, name: string): { name: string; ignore: boolean } {
  const missing = missingDataset(folder);
  return missing === null ? { name, ignore: false } : { name: `${name} — skipped: ${missing}`, ignore: true };
}
