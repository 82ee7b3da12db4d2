/**
 * One entry point for every dataset layout the toolkit reads.
 *
 * @example
 * ```ts
 * const fer = await loadDataset({ dataset: "fer2013", root: "../shared/datasets/fer2013" });
 * const csv = await loadDataset({ dataset: "fer2013", root: "fer2013.csv", splits: ["PublicTest"] });
 * const syn = await loadDataset({ dataset: "synthetic", n: 700, seed: 1 });
 * ```
 * @module
 */
import type { Dataset } from "./dataset.ts";
import { loadFer2013Csv, loadFer2013Folders } from "./fer2013.ts";
import { loadCkPlus } from "./ckplus.ts";
import { loadJaffe } from "./jaffe.ts";
import { loadOulu, loadSequences } from "./sequences.ts";
import { loadFolder } from "./folder.ts";
import { syntheticDataset } from "./synthetic.ts";

/** Dataset kinds {@link loadDataset} understands. */
export const DATASET_KINDS = ["fer2013", "ckplus", "jaffe", "oulu", "sequences", "folder", "synthetic"] as const;

/** One dataset kind. */
export type DatasetKind = typeof DATASET_KINDS[number];

/** Options of {@link loadDataset}; each option applies to the kinds named beside it. */
export interface LoadDatasetOptions {
  dataset: DatasetKind;
  /** Folder (or, for fer2013, a .csv file). Required except for synthetic. */
  root?: string;
  /** fer2013: keep only these splits. */
  splits?: string[];
  /** ckplus (original), oulu, sequences: frames kept per sequence (default 3). */
  lastK?: number;
  /** ckplus: 6-class protocol. */
  dropContempt?: boolean;
  /** oulu: camera (default VIS). */
  modality?: "VIS" | "NI";
  /** oulu: lighting (default Strong). */
  illumination?: "Strong" | "Weak" | "Dark";
  /** synthetic: number of faces, image side, seed, identities. */
  n?: number;
  size?: number;
  seed?: number;
  subjects?: number;
}

/** Loads a dataset's sample list (images are decoded lazily by `Dataset.load`). */
export function loadDataset(opts: LoadDatasetOptions): Promise<Dataset> {
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
    }
  });
}
