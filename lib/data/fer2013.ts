/**
 * FER2013 (Goodfellow et al. 2013) in both layouts users have: the canonical `fer2013.csv`
 * (`emotion,pixels,Usage`, read with nodejs-polars) and image folders `<split>/<class>/<file>`
 * (`Training|PublicTest|PrivateTest`, or `train|test` with `PublicTest_*`/`PrivateTest_*` files in test).
 * Classes are always the 7 csv emotions in csv order, so label = csv emotion code.
 *
 * @example
 * ```ts
 * const ds = loadFer2013Folders({ root: "../shared/datasets/fer2013", splits: ["PublicTest"] });
 * const csv = await loadFer2013Csv({ path: "fer2013.csv" }); // samples "<csv>#row=<n>"
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { type Dataset, fileDataset, listDir, type LoadOptions, type Sample } from "./dataset.ts";
import { type GrayImage, isImageFile, resizeGray } from "./image.ts";
import { FER2013_EMOTIONS, requireLabel } from "./labels.ts";
import { Progress } from "../util/progress.ts";

/** The three official FER2013 splits (the csv `Usage` values). */
export const FER2013_SPLITS = ["Training", "PublicTest", "PrivateTest"] as const;

const SIDE = 48;
const CLASSES: string[] = [...FER2013_EMOTIONS];

/** Options of {@link loadFer2013Folders}. */
export interface Fer2013FolderOptions {
  root: string;
  /** Keep only these splits (default: all present). */
  splits?: string[];
}

/** Reads the image-folder export; split folder names decide `Sample.split`. */
export function loadFer2013Folders(opts: Fer2013FolderOptions): Dataset {
  const samples: Sample[] = [];
  const want = opts.splits ? new Set(opts.splits.map(checkSplit)) : null;
  const expected = "Training, PublicTest, PrivateTest, train or test";
  for (const splitDir of listDir(opts.root, `FER2013 root (expected split folders ${expected})`)) {
    if (!splitDir.isDirectory) continue;
    const lower = splitDir.name.toLowerCase();
    const fixed = lower === "train" ? "Training" : FER2013_SPLITS.find((s) => s.toLowerCase() === lower);
    if (!fixed && lower !== "test") {
      throw new Error(`${splitDir.path}: unknown FER2013 split folder; expected ${expected}`);
    }
    for (const classDir of listDir(splitDir.path, "split folder")) {
      if (!classDir.isDirectory) continue;
      const expr = requireLabel(classDir.name, `${classDir.path}: FER2013 class folder`);
      const label = CLASSES.indexOf(expr);
      if (label < 0) throw new Error(`${classDir.path}: "${expr}" is not a FER2013 class; expected ${CLASSES}`);
      for (const f of listDir(classDir.path, "class folder")) {
        if (!isImageFile(f.name)) throw new Error(`${f.path}: expected an image file in a FER2013 class folder`);
        const split = fixed ?? testSplitOf(f.name, f.path);
        if (!want || want.has(split)) samples.push({ path: f.path, label, split });
      }
    }
  }
  if (samples.length === 0) throw new Error(`${opts.root}: no FER2013 images found for splits ${opts.splits ?? "any"}`);
  return fileDataset({ name: "fer2013", root: opts.root, classes: CLASSES, samples });
}

function testSplitOf(name: string, path: string): string {
  if (name.startsWith("PublicTest")) return "PublicTest";
  if (name.startsWith("PrivateTest")) return "PrivateTest";
  throw new Error(`${path}: files in a FER2013 test folder must be named PublicTest_* or PrivateTest_*`);
}

function checkSplit(s: string): string {
  if (!(FER2013_SPLITS as readonly string[]).includes(s)) {
    throw new Error(`unknown FER2013 split "${s}"; expected ${FER2013_SPLITS.join(", ")}`);
  }
  return s;
}

/** Options of {@link loadFer2013Csv}. */
export interface Fer2013CsvOptions {
  path: string;
  splits?: string[];
}

/** Reads `fer2013.csv` into memory; every bad row is reported with its row and line number. */
export function loadFer2013Csv(opts: Fer2013CsvOptions): Dataset {
  const { path } = opts;
  let df: pl.DataFrame;
  try {
    df = pl.readCSV(path, { dtypes: { emotion: pl.Utf8, pixels: pl.Utf8, Usage: pl.Utf8 } });
  } catch (err) {
    throw new Error(`${path}: cannot read FER2013 csv (${err instanceof Error ? err.message : err})`);
  }
  const header = df.columns.join(",");
  if (header !== "emotion,pixels,Usage") {
    throw new Error(`${path}: wrong FER2013 csv header "${header}"; expected "emotion,pixels,Usage"`);
  }
  const want = opts.splits ? new Set(opts.splits.map(checkSplit)) : null;
  const emotions = df.getColumn("emotion").toArray() as (string | null)[];
  const pixels = df.getColumn("pixels").toArray() as (string | null)[];
  const usage = df.getColumn("Usage").toArray() as (string | null)[];
  const images = new Map<string, Uint8Array>();
  const samples: Sample[] = [];
  const progress = new Progress({ label: "fer2013.csv", total: df.height, unit: "row" });
  let rows = 0;
  for (let r = 0; r < df.height; r++) {
    const where = `${path} row ${r} (line ${r + 2})`;
    if (emotions[r] === null && pixels[r] === null && usage[r] === null) {
      progress.tick(1);
      continue; // a blank line
    }
    rows++;
    if (emotions[r] === null || !/^[0-6]$/.test(emotions[r]!.trim())) {
      throw new Error(`${where}: emotion "${emotions[r]}"; expected an integer 0..6`);
    }
    const e = Number(emotions[r]);
    const split = usage[r] ?? "";
    if (!(FER2013_SPLITS as readonly string[]).includes(split)) {
      throw new Error(`${where}: Usage "${split}"; expected ${FER2013_SPLITS.join(", ")}`);
    }
    if (want && !want.has(split)) {
      progress.tick(1);
      continue;
    }
    const id = `${path}#row=${r}`;
    images.set(id, parsePixels(pixels[r] ?? "", where));
    samples.push({ path: id, label: e, split });
    progress.tick(1);
  }
  progress.done();
  if (rows === 0) throw new Error(`${path}: no rows below the header; expected emotion,pixels,Usage rows`);
  return {
    name: "fer2013",
    root: path,
    classes: CLASSES,
    samples,
    load(sample: Sample, o: LoadOptions = {}): Promise<GrayImage> {
      const data = images.get(sample.path);
      if (!data) return Promise.reject(new Error(`${sample.path}: not a row of ${path}`));
      const img = { width: SIDE, height: SIDE, data };
      return Promise.resolve(o.size ? resizeGray(img, o.size, o.size) : img);
    },
  };
}

/** Parses a space-separated string of exactly 48×48 values in 0..255. */
export function parsePixels(text: string, where: string): Uint8Array {
  const out = new Uint8Array(SIDE * SIDE);
  let n = 0, v = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c >= 48 && c <= 57) {
      v = (v < 0 ? 0 : v * 10) + (c - 48);
    } else if (c === 32 || c === 9) {
      if (v < 0) continue;
      if (v > 255) throw new Error(`${where}: pixel value ${v} at position ${n}; expected 0..255`);
      if (n < out.length) out[n] = v;
      n++;
      v = -1;
    } else {
      throw new Error(`${where}: unexpected character "${text[i]}" in pixels; expected space-separated integers`);
    }
  }
  if (n !== out.length) throw new Error(`${where}: pixels has ${n} values; expected ${out.length} (48x48)`);
  return out;
}

/** One csv row to write. */
export interface Fer2013Row {
  emotion: number;
  pixels: Uint8Array;
  usage: string;
}

/** Writes rows in the canonical `emotion,pixels,Usage` layout (via polars). */
export function writeFer2013Csv(path: string, rows: Fer2013Row[]): void {
  for (const r of rows) {
    if (r.pixels.length !== SIDE * SIDE) throw new Error(`writeFer2013Csv: ${r.pixels.length} pixels, expected 2304`);
  }
  pl.DataFrame({
    emotion: rows.map((r) => String(r.emotion)),
    pixels: rows.map((r) => r.pixels.join(" ")),
    Usage: rows.map((r) => r.usage),
  }).writeCSV(path);
}
