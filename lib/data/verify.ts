/**
 * Decodes every image of a dataset and lists the ones that fail: a loader only lists files, so a
 * zero-byte or corrupt file would otherwise count as an image until training meets it.
 * `fer data summary --verify` prints this.
 *
 * @example
 * ```ts
 * const v = await verifyImages(await loadDataset({ dataset: "ckplus", root: "ckplus48" }));
 * for (const r of v.rejected) console.log(r); // "<file>: corrupt or unreadable image; expected …"
 * ```
 * @module
 */
import type { Dataset } from "./dataset.ts";
import { Progress } from "../util/progress.ts";

/** What {@link verifyImages} found. */
export interface VerifyReport {
  /** Images that decoded. */
  decoded: number;
  /** One error per image that did not, each naming its file. */
  rejected: string[];
}

/** Decodes every sample of `ds` (progress on stderr) and collects the errors. */
export async function verifyImages(ds: Dataset): Promise<VerifyReport> {
  const progress = new Progress({ label: `verify ${ds.name}`, total: ds.samples.length, unit: "img" });
  const rejected: string[] = [];
  for (const s of ds.samples) {
    try {
      await ds.load(s);
    } catch (e) {
      rejected.push(e instanceof Error ? e.message : String(e));
    }
    progress.tick(1);
  }
  progress.done();
  return { decoded: ds.samples.length - rejected.length, rejected };
}
