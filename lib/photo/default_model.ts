/**
 * The model `fer predict` and the page use when none is named: for now (no shipped FER2013 model yet) the newest
 * saved model under the runs folder.
 *
 * @example
 * ```ts
 * const dir = await newestModel(); // "outputs/runs/<id>/model"
 * ```
 * @module
 */
import { join } from "node:path";
import { defaultRunsDir } from "../experiment/record.ts";

/** The newest `<runs>/<id>/model` holding a model.json, or an error saying how to make one. */
export async function newestModel(runs: string = defaultRunsDir()): Promise<string> {
  let best: { dir: string; t: number } | null = null;
  try {
    for await (const e of Deno.readDir(runs)) {
      const dir = join(runs, e.name, "model");
      const t = (await Deno.stat(join(dir, "model.json")).catch(() => null))?.mtime?.getTime();
      if (t !== undefined && (!best || t > best.t)) best = { dir, t };
    }
  } catch { /* no runs folder: the error below */ }
  if (!best) throw new Error(`no --model given and no saved model under ${runs}; train one (deno task fer train …)`);
  return best.dir;
}
