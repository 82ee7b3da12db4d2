/**
 * Where the real datasets live, for tests, benchmarks and notebooks of the feature code.
 *
 * The root is `$FER_DATA` if set, else the first of `../shared/datasets` and `../../shared/datasets`
 * (relative to the project root) that exists. Callers that need data and find none must say so.
 *
 * @example
 * ```ts
 * const root = datasetsRoot();
 * if (root) console.log(listImages(`${root}/fer2013/PublicTest`).length);
 * ```
 * @module
 */
import { join, resolve } from "node:path";

const PROJECT_ROOT = new URL("../../", import.meta.url).pathname;

/** True when `path` is an existing folder. */
export function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** The datasets root, or null when none exists. A set `FER_DATA` that is not a folder is an error. */
export function datasetsRoot(): string | null {
  const env = Deno.env.get("FER_DATA");
  if (env) {
    if (!isDir(env)) throw new Error(`FER_DATA=${env} is not a folder`);
    return resolve(env);
  }
  for (const rel of ["../shared/datasets", "../../shared/datasets"]) {
    const p = resolve(PROJECT_ROOT, rel);
    if (isDir(p)) return p;
  }
  return null;
}

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
