/**
 * A dataset's content hash: what a run record names its data by, so that a re-run (`fer reproduce --check`)
 * can tell "the same pictures and labels" from "a folder of the same name". It covers every sample in order
 * (its path relative to the dataset root, label, subject, sequence and split) and the bytes of every file the
 * samples come from (a FER2013 csv once for all its rows). Synthetic faces have no files: they are made from
 * their seed and distractors, which their paths and root carry.
 *
 * @example
 * ```ts
 * const ds = await loadDataset({ dataset: "ckplus", root: "../shared/datasets/ckplus48", dropContempt: true });
 * await contentHash(ds); // "3f9c0a1e5b7d2c48"
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { relative } from "node:path";
import type { Dataset } from "./dataset.ts";

/** The first 16 hex digits of the SHA-256 over the samples and their files' bytes (see the module doc). */
export async function contentHash(ds: Pick<Dataset, "root" | "samples" | "classes">): Promise<string> {
  const h = createHash("sha256");
  h.update(JSON.stringify(ds.classes));
  const files = new Map<string, string>();
  for (const s of ds.samples) {
    const file = s.path.startsWith("synthetic:") ? null : s.path.replace(/#row=\d+$/, "");
    if (file !== null && !files.has(file)) {
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(file);
      } catch (e) {
        throw new Error(`${file}: cannot read it to hash the dataset (${e instanceof Error ? e.message : e})`);
      }
      files.set(file, createHash("sha256").update(bytes).digest("hex"));
    }
    const path = file === null ? `${ds.root} ${s.path}` : relative(ds.root, s.path);
    h.update(JSON.stringify([path, s.label, s.subject ?? null, s.sequence ?? null, s.split ?? null]));
    if (file !== null) h.update(files.get(file)!);
  }
  return h.digest("hex").slice(0, 16);
}
