/**
 * The shape every loader returns, and the small directory helpers they share.
 *
 * @example
 * ```ts
 * const ds = await loadDataset({ dataset: "ckplus", root: "../shared/datasets/ckplus48" });
 * const s = ds.samples[0];
 * const img = await ds.load(s, { size: 48 }); // GrayImage
 * console.log(ds.classes[s.label], s.subject);
 * ```
 * @module
 */
import { join } from "node:path";
import { decodeImage, type GrayImage } from "./image.ts";

/** One labelled image. `label` indexes {@link Dataset.classes}. */
export interface Sample {
  /** File path, or `<csv>#row=<n>` for FER2013 csv rows, or `synthetic:<seed>/<i>`. */
  path: string;
  label: number;
  /** Person id (CK+ `S010`, JAFFE `KA`, Oulu `P001`, synthetic `s12`). */
  subject?: string;
  /** Sequence id for video datasets (CK+ `S010_004`, Oulu `P001/Anger`). */
  sequence?: string;
  /** Official split (FER2013 `Training`, `PublicTest`, `PrivateTest`). */
  split?: string;
}

/** Options of {@link Dataset.load}. */
export interface LoadOptions {
  /** Resize to size×size (area averaging). */
  size?: number;
}

/** A labelled image collection. */
export interface Dataset {
  name: string;
  root: string;
  /** Canonical expression names, in toolkit order (see labels.ts). */
  classes: string[];
  samples: Sample[];
  /** Decodes one sample to grayscale. */
  load(sample: Sample, opts?: LoadOptions): Promise<GrayImage>;
  /** Where the expression signal lives (255) — only datasets that know it (synthetic). */
  loadMask?(sample: Sample, opts?: LoadOptions): Promise<GrayImage>;
}

/** Class index of a sample, checked against the dataset's classes (a clear error names the file). */
export function labelOf(ds: Pick<Dataset, "classes" | "name">, s: Sample): number {
  if (!Number.isInteger(s.label) || s.label < 0 || s.label >= ds.classes.length) {
    throw new Error(`${s.path}: label ${s.label} is not a class index of ${ds.name} (0..${ds.classes.length - 1})`);
  }
  return s.label;
}

/** A dataset whose samples are image files decoded on demand. */
export function fileDataset(opts: { name: string; root: string; classes: string[]; samples: Sample[] }): Dataset {
  return {
    ...opts,
    load: (sample, o = {}) => decodeImage(sample.path, { size: o.size }),
  };
}

/** One directory entry. */
export interface Entry {
  name: string;
  path: string;
  isDirectory: boolean;
}

/** Natural ("frame2" < "frame10") string order. */
export const naturalCompare: (a: string, b: string) => number =
  new Intl.Collator("en", { numeric: true, sensitivity: "base" }).compare;

/** Lists a directory in natural order, skipping dot files; a missing folder is an error naming `what`. */
export function listDir(path: string, what: string): Entry[] {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(path)];
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound ? "does not exist" : String(err);
    throw new Error(`${path}: ${what} ${why}`);
  }
  return entries
    .filter((e) => !e.name.startsWith("."))
    .map((e) => ({ name: e.name, path: join(path, e.name), isDirectory: e.isDirectory }))
    .sort((a, b) => naturalCompare(a.name, b.name));
}

/**
 * Lists a class folder; an empty one is an error naming it, since its class would silently vanish from
 * the dataset (CK+ would train as 6 classes).
 */
export function listClassDir(dir: Entry): Entry[] {
  const files = listDir(dir.path, "class folder");
  if (files.length === 0) {
    throw new Error(
      `${dir.path}: class folder "${dir.name}" is empty; expected its images (delete the folder to leave the class out)`,
    );
  }
  return files;
}

/** The last `k` items (all when fewer); `k` must be a positive integer. */
export function lastK<T>(items: T[], k: number): T[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`lastK: k must be a positive integer, got ${k}`);
  return items.slice(Math.max(0, items.length - k));
}

/** Filter predicate: directories only. */
export function isDirEntry(e: Entry): boolean {
  return e.isDirectory;
}
