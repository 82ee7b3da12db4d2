/**
 * JAFFE (Lyons et al. 1998): flat folder of TIFFs named `<subject>.<expr><n>.<id>.tiff`, e.g.
 * `KA.AN1.39.tiff` → subject KA, angry. Expression codes AN DI FE HA SA SU NE (7 classes).
 *
 * @example
 * ```ts
 * const ds = loadJaffe({ root: "jaffe" });
 * ds.samples[0]; // { path: ".../KA.AN1.39.tiff", label: 0, subject: "KA" }
 * ```
 * @module
 */
import { type Dataset, fileDataset, listDir, type Sample } from "./dataset.ts";
import { isImageFile } from "./image.ts";
import { orderedClasses, requireLabel } from "./labels.ts";

const NAME = /^([A-Z]{2})\.(AN|DI|FE|HA|SA|SU|NE)(\d+)\.(\d+)\.tiff?$/i;

/** Reads a JAFFE folder; other image files are errors, non-image files (README) are ignored. */
export function loadJaffe(opts: { root: string }): Dataset {
  const found: { path: string; expr: ReturnType<typeof requireLabel>; subject: string }[] = [];
  for (const f of listDir(opts.root, "JAFFE root (expected files like KA.AN1.39.tiff)")) {
    if (f.isDirectory || !isImageFile(f.name)) continue;
    const m = NAME.exec(f.name);
    if (!m) throw new Error(`${f.path}: expected a JAFFE name like KA.AN1.39.tiff (expressions AN DI FE HA SA SU NE)`);
    found.push({ path: f.path, expr: requireLabel(m[2], f.path), subject: m[1].toUpperCase() });
  }
  if (found.length === 0) throw new Error(`${opts.root}: no JAFFE images found (expected files like KA.AN1.39.tiff)`);
  const classes = orderedClasses(found.map((f) => f.expr));
  const samples: Sample[] = found.map((f) => ({ path: f.path, label: classes.indexOf(f.expr), subject: f.subject }));
  return fileDataset({ name: "jaffe", root: opts.root, classes, samples });
}
