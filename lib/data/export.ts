/**
 * Writes a dataset to disk in the generic folder layout — `images/<class>/<id>.png`, `masks/<class>/<id>.png`
 * when the dataset has masks, and `samples.json` with every sample's subject/sequence/split — so the
 * synthetic set (or a resized copy of a real one, kept locally) can be inspected or read by other tools.
 *
 * @example
 * ```ts
 * await exportDataset(syntheticDataset({ n: 700, seed: 1 }), { out: "outputs/synthetic" });
 * loadFolder({ root: "outputs/synthetic/images" });
 * ```
 * @module
 */
import { join } from "node:path";
import type { Dataset, Sample } from "./dataset.ts";
import { writeImage } from "./image.ts";
import { Progress } from "../util/progress.ts";

/** One line of `samples.json`. */
export interface ExportedSample extends Omit<Sample, "label"> {
  /** Written file, relative to `out`. */
  file: string;
  className: string;
  /** Mask file, relative to `out`, when the dataset has masks. */
  mask?: string;
}

/** Writes every sample (resized to `size` if given); returns what was written. */
export async function exportDataset(
  ds: Dataset,
  opts: { out: string; size?: number },
): Promise<ExportedSample[]> {
  for (const c of ds.classes) {
    await Deno.mkdir(join(opts.out, "images", c), { recursive: true });
    if (ds.loadMask) await Deno.mkdir(join(opts.out, "masks", c), { recursive: true });
  }
  const width = String(ds.samples.length - 1).length;
  const progress = new Progress({ label: `export ${ds.name}`, total: ds.samples.length, unit: "img" });
  const written: ExportedSample[] = [];
  for (const [i, s] of ds.samples.entries()) {
    const className = ds.classes[s.label];
    const name = `${String(i).padStart(width, "0")}.png`;
    const file = join("images", className, name);
    await writeImage(join(opts.out, file), await ds.load(s, { size: opts.size }));
    const row: ExportedSample = {
      path: s.path,
      file,
      className,
      subject: s.subject,
      sequence: s.sequence,
      split: s.split,
    };
    if (ds.loadMask) {
      row.mask = join("masks", className, name);
      await writeImage(join(opts.out, row.mask), await ds.loadMask(s, { size: opts.size }));
    }
    written.push(row);
    progress.tick(1);
  }
  progress.done();
  await Deno.writeTextFile(join(opts.out, "samples.json"), JSON.stringify(written, null, 1) + "\n");
  return written;
}
