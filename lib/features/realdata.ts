/**
 * Picking real images for tests, benchmarks and notebooks of the feature code (the datasets root
 * itself comes from `datasetsRoot()` of `lib/data/paths.ts`).
 *
 * @example
 * ```ts
 * const root = datasetsRoot();
 * if (root) console.log(listImages(`${root}/fer2013/PublicTest`).length);
 * ```
 * @module
 */
import { join } from "node:path";
import { isDir } from "../data/paths.ts";

/** Image files (jpg, jpeg, png) under `dir`, recursively, sorted by path. Throws if `dir` is missing. */
export function listImages(dir: string): string[] {
  if (!isDir(dir)) throw new Error(`image folder ${dir} does not exist`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) walk(p);
      else if (e.isFile && /\.(jpe?g|png)$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Up to `perClass` files from every class subfolder of `dir`, taken at evenly spaced positions of
 * the sorted listing (deterministic, spread over the class).
 *
 * @example
 * ```ts
 * const files = samplePerClass(`${root}/fer2013/PublicTest`, 2);
 * ```
 */
export function samplePerClass(dir: string, perClass: number): string[] {
  if (!isDir(dir)) throw new Error(`dataset folder ${dir} does not exist`);
  const classes = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  const out: string[] = [];
  for (const cls of classes) {
    const files = listImages(join(dir, cls));
    const n = Math.min(perClass, files.length);
    for (let k = 0; k < n; k++) out.push(files[Math.floor((k * files.length) / n)]);
  }
  return out;
}
