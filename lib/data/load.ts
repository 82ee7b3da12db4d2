/**
 * One entry point for every dataset layout the toolkit reads.
 *
 * @example
 * ```ts
 * const fer = await loadDataset({ dataset: "fer2013", root: "../shared/datasets/fer2013" });
 * const csv = await loadDataset({ dataset: "fer2013", root: "fer2013.csv", splits: ["PublicTest"] });
 * const syn = await loadDataset({ dataset: "synthetic", n: 700, seed: 1 });
 * const packed = await loadDataset({ dataset: "pack", root: "build/ckplus48.ferpack" });
 * ```
 * @module
 */
import type { Dataset } from "./dataset.ts";
import { DATASET_KINDS, type LoadDatasetOptions } from "./kinds.ts";
import { readPack } from "./pack.ts";
import { loadFer2013Csv, loadFer2013Folders } from "./fer2013.ts";
import { loadCkPlus } from "./ckplus.ts";
import { loadJaffe } from "./jaffe.ts";
import { loadOulu, loadSequences } from "./sequences.ts";
import { loadFolder } from "./folder.ts";
import { syntheticDataset } from "./synthetic.ts";

/** Loads a dataset's sample list (images are decoded lazily by `Dataset.load`). */
export async function loadDataset(opts: LoadDatasetOptions): Promise<Dataset> {
  const ds = await open(opts);
  return opts.name === undefined ? ds : { ...ds, name: opts.name };
}

function open(opts: LoadDatasetOptions): Promise<Dataset> {
  return Promise.resolve().then(() => {
    if (opts.dataset === "synthetic") return syntheticDataset(opts);
    if (!(DATASET_KINDS as readonly string[]).includes(opts.dataset)) {
      throw new Error(`unknown dataset "${opts.dataset}"; expected one of ${DATASET_KINDS.join(", ")}`);
    }
    const root = opts.root;
    if (!root) throw new Error(`dataset ${opts.dataset} needs a root folder`);
    switch (opts.dataset) {
      case "fer2013":
        return root.toLowerCase().endsWith(".csv")
          ? loadFer2013Csv({ path: root, splits: opts.splits })
          : loadFer2013Folders({ root, splits: opts.splits });
      case "ckplus":
        return loadCkPlus({ root, lastK: opts.lastK, dropContempt: opts.dropContempt });
      case "jaffe":
        return loadJaffe({ root });
      case "oulu":
        return loadOulu({ root, lastK: opts.lastK, modality: opts.modality, illumination: opts.illumination });
      case "sequences":
        return loadSequences({ root, lastK: opts.lastK });
      case "folder":
        return loadFolder({ root });
      case "pack":
        return readPack(root);
    }
  });
}
