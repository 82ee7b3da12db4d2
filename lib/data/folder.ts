/**
 * Generic ImageFolder layout: `<root>/<class>/<image>`; class folder names are expression names or aliases.
 *
 * @example
 * ```ts
 * const ds = loadFolder({ root: "my_faces" }); // my_faces/happy/1.png, my_faces/Sadness/2.jpg …
 * ```
 * @module
 */
import { type Dataset, fileDataset, listClassDir, listDir, type Sample } from "./dataset.ts";
import { isImageFile } from "./image.ts";
import { type Expression, orderedClasses, requireLabel } from "./labels.ts";

/** Options of {@link loadFolder}. */
export interface FolderOptions {
  root: string;
  name?: string;
}

/** Reads `<root>/<class>/<image>`; unknown class folders and non-image files are errors. */
export function loadFolder(opts: FolderOptions): Dataset {
  const found: { path: string; expr: Expression }[] = [];
  for (const dir of listDir(opts.root, "dataset root (expected <class>/<image> folders)")) {
    if (!dir.isDirectory) continue;
    const expr = requireLabel(dir.name, `${dir.path}: class folder`);
    for (const f of listClassDir(dir)) {
      if (f.isDirectory || !isImageFile(f.name)) {
        throw new Error(`${f.path}: expected only image files (.png .jpg .bmp .tiff) in class folder ${dir.name}`);
      }
      found.push({ path: f.path, expr });
    }
  }
  if (found.length === 0) throw new Error(`${opts.root}: no images found; expected <class>/<image> folders`);
  const classes = orderedClasses(found.map((f) => f.expr));
  const samples: Sample[] = found.map((f) => ({ path: f.path, label: classes.indexOf(f.expr) }));
  return fileDataset({ name: opts.name ?? "folder", root: opts.root, classes, samples });
}
