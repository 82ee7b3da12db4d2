/**
 * Expressions in photos: faces found by BlazeFace (the detector whose weights ship inside @vladmandic/human),
 * each cropped square with a margin, made grey and resized, then classified by a FER model; generated scenes
 * of pasted faces, and faces marked by hand in real photos, to measure it.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): annotate.ts, blazeface.ts, classify.ts,
 *  load_detector.ts, testing.ts (tests' seeded model and scenes).
 *
 * @example
 * ```ts
 * import { detectAndClassify, loadDetector } from "../lib/photo/mod.ts";
 * import { readPhoto } from "../lib/data/mod.ts";
 * const { faces, reason } = await detectAndClassify(await readPhoto("group.jpg"), fm, { detector: await loadDetector() });
 * ```
 * @module
 */
export { type FaceBox, iou, squareWindow, suppress } from "./box.ts";
export {
  blazeAnchors,
  blazeFace,
  type BlazeFaceOptions,
  detectionWindows,
  DETECTOR_DEFAULTS,
  type FaceDetector,
  secondLook,
} from "./blazeface.ts";
export {
  CROP_MARGIN,
  detectAndClassify,
  type DetectOptions,
  type FaceResult,
  isFaceCrop,
  type PhotoResult,
} from "./classify.ts";
export { faceCrop, type FaceCropOptions, toGray } from "./crop.ts";
export { detectorModelPath, loadDetector, loadDetectorModel } from "./load_detector.ts";
export { findsFace, type MarginResult, type MeasureOptions, measureScenes, type SceneReport } from "./measure.ts";
export { makeScene, type PastedFace, type Scene, type SceneOptions } from "./scene.ts";
export {
  type FaceMatch,
  type FaceMatching,
  matchFaces,
  parseFaceTruth,
  readFaceTruth,
  samplePhotosDir,
  type TruthFace,
  type TruthPhoto,
} from "./truth.ts";
export { annotatePhoto } from "./annotate.ts";
export { blendHeat } from "./heat.ts";
