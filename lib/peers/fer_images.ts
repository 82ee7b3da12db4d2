/**
 * Minimal FER2013 image-folder access for the peer evaluation: find the datasets root, list a split,
 * decode a JPEG to 8-bit grey. (Temporary twin of lib/data/image.ts until that lands on main.)
 *
 * @example
 * ```ts
 * const root = datasetsRoot();
 * const items = await listFerSplit(`${root}/fer2013`, "PublicTest");
 * const img = await decodeGray(items[0].path);
 * ```
 * @module
 */
import sharp from "sharp";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { CANONICAL_LABELS, type CanonicalLabel } from "./labels.ts";

/** An 8-bit greyscale image, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One labelled image file. */
export interface LabelledFile {
  path: string;
  label: CanonicalLabel;
}

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

/** The datasets root: env FER_DATA, else `../shared/datasets` or `../../shared/datasets` from the project root. */
export function datasetsRoot(): string {
  const env = Deno.env.get("FER_DATA");
  if (env) {
    if (!isDir(env)) throw new Error(`FER_DATA=${env} is not a folder`);
    return env;
  }
  const project = fromFileUrl(new URL("../../", import.meta.url));
  for (const rel of ["../shared/datasets", "../../shared/datasets"]) {
    const p = join(project, rel);
    if (isDir(p)) return p;
  }
  throw new Error(`no datasets folder: set FER_DATA or put the data at ${join(project, "../shared/datasets")}`);
}

/** Lists `<root>/<split>/<class>/*.jpg|png` sorted by path; throws on an unknown class folder. */
export async function listFerSplit(root: string, split: string): Promise<LabelledFile[]> {
  const dir = join(root, split);
  if (!isDir(dir)) throw new Error(`FER2013 split folder not found: ${dir} (expected <root>/${split}/<class>/*.jpg)`);
  const out: LabelledFile[] = [];
  for await (const cls of Deno.readDir(dir)) {
    if (!cls.isDirectory) continue;
    if (!(CANONICAL_LABELS as readonly string[]).includes(cls.name)) {
      throw new Error(`${join(dir, cls.name)}: unknown class folder (expected one of ${CANONICAL_LABELS.join(", ")})`);
    }
    for await (const f of Deno.readDir(join(dir, cls.name))) {
      if (f.isFile && /\.(jpe?g|png)$/i.test(f.name)) {
        out.push({ path: join(dir, cls.name, f.name), label: cls.name as CanonicalLabel });
      }
    }
  }
  return out.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** Decodes an image file to 8-bit grey; errors name the file. */
export async function decodeGray(path: string): Promise<GrayImage> {
  try {
    const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel after greyscale, got ${info.channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  } catch (err) {
    throw new Error(`cannot decode image ${path}: ${err instanceof Error ? err.message : err}`);
  }
}
