/**
 * The dataset kinds the toolkit reads and the options of each: what `loadDataset` takes and what an
 * experiment spec names. No loader is imported here, so specs are checked without image decoders.
 *
 * @example
 * ```ts
 * const opts: LoadDatasetOptions = { dataset: "ckplus", root: "../shared/datasets/ckplus48", dropContempt: true };
 * DATASET_KINDS.includes(opts.dataset); // true
 * ```
 * @module
 */

/** Dataset kinds `loadDataset` (load.ts) understands. */
export const DATASET_KINDS = [
  "fer2013",
  "ckplus",
  "jaffe",
  "oulu",
  "sequences",
  "folder",
  "synthetic",
  "pack",
] as const;

/** One dataset kind. */
export type DatasetKind = typeof DATASET_KINDS[number];

/** Options of `loadDataset` (load.ts); each option applies to the kinds named beside it. */
export interface LoadDatasetOptions {
  dataset: DatasetKind;
  /** Folder (or, for fer2013, a .csv file; for pack, a .ferpack file). Required except for synthetic. */
  root?: string;
  /** The dataset's name in records and tables (default: the loader's, e.g. "fer2013", "folder"). */
  name?: string;
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
  /** synthetic: number of faces, image side, seed, identities, distractor strokes per face. */
  n?: number;
  size?: number;
  seed?: number;
  subjects?: number;
  clutter?: number;
}
