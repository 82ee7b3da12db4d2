/**
 * Detection → crop → expression: every face a detector finds in a photo, cropped square with a margin, made grey
 * and resized to the model's input, then classified; or the whole picture as one face when it is already a face
 * crop. Free of Deno APIs (the page runs it too).
 *
 * @example
 * ```ts
 * const { faces, reason } = await detectAndClassify(rgb, fm, { detector, modelName: "fer2013-small" });
 * for (const f of faces) console.log(f.box, f.score, f.label, f.probabilities);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FloatMap, RgbImage } from "../data/image.ts";
import type { Tta } from "../engine/config.ts";
import { inputTensors, lbpFor, packInputs } from "../engine/inputs.ts";
import { predictImages } from "../engine/predict_images.ts";
import type { FerModel } from "../model/build.ts";
import type { FaceBox } from "./box.ts";
import type { FaceDetector } from "./blazeface.ts";
import { faceCrop, toGray } from "./crop.ts";

/**
 * The crop margin chosen by the scene measurement (results/photo/scenes-fer2013.json: 200 scenes, 375 FER2013
 * PublicTest faces found): the square around a BlazeFace box is this much larger than the box's longer side.
 * Accuracy through detection was highest at 0.1 (52.5%, the same as the found faces classified directly), within
 * one face of it at 0.2 and 0.3, and fell from 0.4 on (48.0% at 0.5, 38.9% at 0.8).
 */
export const CROP_MARGIN = 0.1;

/** One face found and classified. */
export interface FaceResult {
  /** Where the face is, in pixels of the (orientation-corrected) photo; the whole picture when detection was skipped. */
  box: Omit<FaceBox, "score">;
  /** The detector's score in [0, 1]; null when detection was skipped. */
  score: number | null;
  label: string;
  /** One probability per class, by label, in the model's class order. */
  probabilities: Record<string, number>;
  /** Names the model that classified the face. */
  model: string;
  /** The attention mask F_m over the crop (mean over channels, side S/8), when asked for and the model has one. */
  heatmap?: FloatMap;
}

/** The faces of one photo; `reason` says why the list is empty. */
export interface PhotoResult {
  faces: FaceResult[];
  reason?: string;
}

/** Options of {@link detectAndClassify}. */
export interface DetectOptions {
  /** The face detector; null or absent: the picture is taken as one face crop (no detection). */
  detector?: FaceDetector | null;
  /** Crop margin around a detected box (default {@link CROP_MARGIN}). */
  margin?: number;
  /** Names the model in each result (default "model"). */
  modelName?: string;
  /** Also return each face's F_m map. */
  heatmap?: boolean;
  /** Test-time augmentation of the classifier (default: the model's own, {@link FerModel.tta}, else none). */
  tta?: Tta;
}

/**
 * True when a picture is taken as a face crop without detection: square and no larger than 96 px or twice the
 * model's input side, whichever is more (FER2013's and CK+48's 48×48 pictures): too small for a scene of faces.
 */
export function isFaceCrop(img: { width: number; height: number }, inputSize: number): boolean {
  return img.width === img.height && img.width <= Math.max(96, 2 * inputSize);
}

/** Finds the faces of `image` and classifies each; see {@link DetectOptions}. */
export async function detectAndClassify(image: RgbImage, fm: FerModel, opts: DetectOptions = {}): Promise<PhotoResult> {
  const size = fm.config.inputSize, k = fm.config.numClasses;
  const labels = fm.labels ?? Array.from({ length: k }, (_, i) => `class${i}`);
  const gray = toGray(image);
  const whole = { x: 0, y: 0, width: image.width, height: image.height };
  const found: { box: Omit<FaceBox, "score">; score: number | null }[] = opts.detector
    ? (await opts.detector.detect(image)).map(({ score, ...box }) => ({ box, score }))
    : [{ box: whole, score: null }];
  if (found.length === 0) return { faces: [], reason: `no face found by ${opts.detector!.name}` };
  const margin = opts.detector ? opts.margin ?? CROP_MARGIN : 0;
  const crops = found.map((f) => faceCrop(gray, f.box, { margin, size }));
  const lbp = lbpFor(fm.config);
  const probs = await predictImages(fm, crops, { lbp, tta: opts.tta ?? fm.tta ?? "none" });
  let maps: FloatMap[] | null = null;
  if (opts.heatmap && fm.attention) {
    const att = fm.attention;
    const t = tf.tidy(() => tf.mean(att.predict(inputTensors(packInputs(crops, { size, lbp }))) as tf.Tensor4D, 3));
    const [n, h, w] = t.shape, d = await t.data();
    t.dispose();
    maps = Array.from(
      { length: n },
      (_, i) => ({ width: w, height: h, data: Float32Array.from(d.subarray(i * h * w, (i + 1) * h * w)) }),
    );
  }
  const faces = found.map((f, i): FaceResult => {
    const p = Array.from(probs.subarray(i * k, (i + 1) * k));
    const r: FaceResult = {
      box: f.box,
      score: f.score,
      label: labels[p.indexOf(Math.max(...p))],
      probabilities: Object.fromEntries(labels.map((l, c) => [l, p[c]])),
      model: opts.modelName ?? "model",
    };
    if (maps) r.heatmap = maps[i];
    return r;
  });
  return { faces };
}
