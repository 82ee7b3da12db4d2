/**
 * CK+ (Lucey et al. 2010) in two layouts: CK+48 (`<class>/S<subj>_<seq>_<frame>.png`) and the original
 * release (`cohn-kanade-images/S*\/NNN/*.png` + `Emotion/S*\/NNN/*_emotion.txt`), where the last k frames
 * (default 3) of each labelled sequence are taken. Subject = `S###`, sequence = `S###_NNN`.
 *
 * @example
 * ```ts
 * const ck48 = loadCkPlus({ root: "../shared/datasets/ckplus48" });
 * const orig = loadCkPlus({ root: "CK+", lastK: 3, dropContempt: true }); // 6 classes
 * ```
 * @module
 */
import { join } from "node:path";
import { type Dataset, fileDataset, isDirEntry, lastK, listClassDir, listDir, type Sample } from "./dataset.ts";
import { isImageFile } from "./image.ts";
import { CKPLUS_EMOTIONS, type Expression, orderedClasses, requireLabel } from "./labels.ts";
import { isDir } from "./paths.ts";

/** Options of {@link loadCkPlus}. */
export interface CkPlusOptions {
  root: string;
  /** Frames per labelled sequence in the original layout (default 3). */
  lastK?: number;
  /** Drop contempt for the 6-class protocol. */
  dropContempt?: boolean;
}

const NAME = /^(S\d+)_(\d+)_(\d+)\.png$/i;

/** Reads CK+48 or the original CK+ release (detected by a `cohn-kanade-images` folder in root). */
export function loadCkPlus(opts: CkPlusOptions): Dataset {
  const found = isDir(join(opts.root, "cohn-kanade-images")) ? readOriginal(opts) : readCk48(opts.root);
  const kept = opts.dropContempt ? found.filter((f) => f.expr !== "contempt") : found;
  if (kept.length === 0) throw new Error(`${opts.root}: no CK+ images found`);
  const classes = orderedClasses(kept.map((f) => f.expr));
  const samples: Sample[] = kept.map((f) => ({
    path: f.path,
    label: classes.indexOf(f.expr),
    subject: f.subject,
    sequence: f.sequence,
  }));
  return fileDataset({ name: "ckplus", root: opts.root, classes, samples });
}

interface Found {
  path: string;
  expr: Expression;
  subject: string;
  sequence: string;
}

function readCk48(root: string): Found[] {
  const out: Found[] = [];
  for (const dir of listDir(root, "CK+ root (expected CK+48 <class>/ folders or cohn-kanade-images/)")) {
    if (!dir.isDirectory) continue;
    const expr = requireLabel(dir.name, `${dir.path}: CK+48 class folder`);
    for (const f of listClassDir(dir)) {
      const m = NAME.exec(f.name);
      if (!m) throw new Error(`${f.path}: expected a CK+48 file name like S010_004_00000017.png`);
      out.push({ path: f.path, expr, subject: m[1], sequence: `${m[1]}_${m[2]}` });
    }
  }
  return out;
}

function readOriginal(opts: CkPlusOptions): Found[] {
  const images = join(opts.root, "cohn-kanade-images");
  const emotion = join(opts.root, "Emotion");
  const out: Found[] = [];
  for (const subj of listDir(emotion, "CK+ Emotion folder (expected Emotion/S###/NNN/*_emotion.txt)")) {
    if (!subj.isDirectory) continue;
    for (const seq of listDir(subj.path, "Emotion subject folder").filter(isDirEntry)) {
      const labels = listDir(seq.path, "Emotion sequence folder").filter((f) => f.name.endsWith("_emotion.txt"));
      if (labels.length === 0) continue; // an unlabelled sequence: CK+ labels only 327 of 593
      if (labels.length > 1) throw new Error(`${seq.path}: expected one *_emotion.txt, found ${labels.length}`);
      const text = Deno.readTextFileSync(labels[0].path).trim();
      const code = Number(text);
      const expr = CKPLUS_EMOTIONS[code];
      if (!Number.isInteger(code) || code < 1 || !expr) {
        throw new Error(`${labels[0].path}: emotion "${text}"; expected a CK+ code 1..7`);
      }
      const frameDir = join(images, subj.name, seq.name);
      const frames = listDir(frameDir, "CK+ image sequence folder for a labelled sequence")
        .filter((f) => isImageFile(f.name));
      if (frames.length === 0) throw new Error(`${frameDir}: no frames for labelled sequence`);
      for (const f of lastK(frames, opts.lastK ?? 3)) {
        out.push({ path: f.path, expr, subject: subj.name, sequence: `${subj.name}_${seq.name}` });
      }
    }
  }
  return out;
}
