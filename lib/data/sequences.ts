/**
 * Video-sequence datasets, keeping the last k frames (the peak) of each sequence:
 * Oulu-CASIA (`[OriginalImg/]VIS|NI/Strong|Weak|Dark/P001/Anger/000.jpeg`) and NCUFE-style
 * `<subject>/<expression>/<frames>` folders.
 *
 * @example
 * ```ts
 * const oulu = loadOulu({ root: "Oulu-CASIA", modality: "VIS", illumination: "Strong", lastK: 3 });
 * const ncufe = loadSequences({ root: "ncufe", lastK: 3 });
 * ```
 * @module
 */
import { join } from "node:path";
import { type Dataset, fileDataset, isDirEntry, lastK, listDir, type Sample } from "./dataset.ts";
import { isImageFile } from "./image.ts";
import { type Expression, orderedClasses, requireLabel } from "./labels.ts";
import { isDir } from "./paths.ts";

/** Options of {@link loadSequences}. */
export interface SequenceOptions {
  root: string;
  /** Frames kept from the end of each sequence (default 3). */
  lastK?: number;
  name?: string;
}

/** Reads `<root>/<subject>/<expression>/<frames>`; subject = folder name, sequence = `subject/expression`. */
export function loadSequences(opts: SequenceOptions): Dataset {
  const found: { path: string; expr: Expression; subject: string; sequence: string }[] = [];
  const k = opts.lastK ?? 3;
  for (const subj of listDir(opts.root, "sequence root (expected <subject>/<expression>/<frames>)")) {
    if (!subj.isDirectory) continue;
    for (const ex of listDir(subj.path, "subject folder").filter(isDirEntry)) {
      const expr = requireLabel(ex.name, `${ex.path}: expression folder`);
      const frames = listDir(ex.path, "expression folder");
      const bad = frames.find((f) => f.isDirectory || !isImageFile(f.name));
      if (bad) throw new Error(`${bad.path}: expected only image frames in sequence folder ${ex.path}`);
      if (frames.length === 0) throw new Error(`${ex.path}: empty sequence; expected image frames`);
      for (const f of lastK(frames, k)) {
        found.push({ path: f.path, expr, subject: subj.name, sequence: `${subj.name}/${ex.name}` });
      }
    }
  }
  if (found.length === 0) throw new Error(`${opts.root}: no sequences found; expected <subject>/<expression>/<frames>`);
  const classes = orderedClasses(found.map((f) => f.expr));
  const samples: Sample[] = found.map(({ expr, ...f }) => ({ ...f, label: classes.indexOf(expr) }));
  return fileDataset({ name: opts.name ?? "sequences", root: opts.root, classes, samples });
}

/** Options of {@link loadOulu}. */
export interface OuluOptions {
  root: string;
  /** Camera: visible light (default) or near infrared. */
  modality?: "VIS" | "NI";
  /** Lighting condition (default Strong). */
  illumination?: "Strong" | "Weak" | "Dark";
  lastK?: number;
}

/** Reads Oulu-CASIA; root may be the release folder, its OriginalImg/, or the `<modality>/<illumination>` folder. */
export function loadOulu(opts: OuluOptions): Dataset {
  const sub = join(opts.modality ?? "VIS", opts.illumination ?? "Strong");
  const candidates = [join(opts.root, sub), join(opts.root, "OriginalImg", sub), opts.root];
  const dir = candidates.find((c) => isDir(c) && listDir(c, "Oulu folder").some((e) => /^P\d+$/i.test(e.name)));
  if (!dir) {
    throw new Error(`${opts.root}: no Oulu-CASIA subjects found; expected ${join("[OriginalImg]", sub, "P001/Anger")}`);
  }
  return { ...loadSequences({ root: dir, lastK: opts.lastK, name: "oulu" }), root: opts.root };
}
