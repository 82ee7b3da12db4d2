/**
 * Datasets: the one Dataset/Sample/GrayImage types, the expression labels, the loaders (FER2013,
 * CK+, JAFFE, Oulu-CASIA, folders, packs, the synthetic faces), image decoding, where real data
 * lives, which samples go where (splits, held-out parts, folds, subsets), summaries, packs and a
 * decode check of every image.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): content_hash.ts, dataset.ts,
 *  export.ts, fixtures.ts, image.ts, kinds.ts, labels.ts, load.ts, pack.ts, paths.ts, photo.ts, routing.ts,
 *  summary.ts, synthetic.ts, verify.ts.
 *
 * @example
 * ```ts
 * import { kFold, loadDataset, summarize } from "../lib/data/mod.ts";
 * const ds = await loadDataset({ dataset: "synthetic", n: 700, seed: 1 });
 * const folds = kFold(ds.samples, { k: 5, seed: 0, by: "subject" });
 * console.log(summarize(ds).splits);
 * ```
 * @module
 */
export { type Dataset, fileDataset, labelOf, type LoadOptions, type Sample } from "./dataset.ts";
export {
  decodeImage,
  type DecodeOptions,
  decodeRgb,
  encodePng,
  type FloatMap,
  type GrayImage,
  IMAGE_EXTENSIONS,
  isImageFile,
  resizeGray,
  type ResizeMethod,
  type RgbImage,
  writeImage,
} from "./image.ts";
export { decodePhoto, MAX_PHOTO_PIXELS, type PhotoOptions, readPhoto, sniffFormat } from "./photo.ts";
export {
  canonicalLabel,
  CKPLUS_EMOTIONS,
  type Expression,
  EXPRESSIONS,
  FER2013_EMOTIONS,
  orderedClasses,
  requireLabel,
} from "./labels.ts";
export { DATASET_KINDS, type DatasetKind, type LoadDatasetOptions } from "./kinds.ts";
export { loadDataset } from "./load.ts";
export { FER2013_SPLITS, loadFer2013Csv, loadFer2013Folders } from "./fer2013.ts";
export { loadCkPlus } from "./ckplus.ts";
export { loadJaffe } from "./jaffe.ts";
export { loadOulu, loadSequences } from "./sequences.ts";
export { loadFolder } from "./folder.ts";
export { syntheticDataset, type SyntheticOptions } from "./synthetic.ts";
export { datasetDir, datasetsRoot, isDir, projectPath, projectRelative, projectRoot } from "./paths.ts";
export {
  evenSubset,
  kFold,
  type KFoldOptions,
  limitDataset,
  pickSplit,
  splitProtocolIndices,
  type SplitRoute,
  splitValidation,
  subjectOverlap,
} from "./routing.ts";
export { contentHash } from "./content_hash.ts";
export { type DatasetSummary, type SplitSummary, summarize, summaryText } from "./summary.ts";
export { summaryFrame } from "./summary_frame.ts";
export { type PackHeader, readPack, writePack } from "./pack.ts";
export { exportDataset, type ExportedSample } from "./export.ts";
export { verifyImages, type VerifyReport } from "./verify.ts";
