/**
 * The scene measurement: faces of known expression pasted into generated scenes ({@link makeScene}), found by a
 * detector, cropped at each candidate margin and classified, against the same faces classified directly.
 *
 * A detected box finds a pasted face when its centre lies inside the face's square and its longer side is
 * 0.3–1.5 times the square's; each face is found at most once (best score first) and every other box is a false
 * box.
 *
 * @example
 * ```ts
 * const rep = await measureScenes({ faces, labels, model: fm, detector, scenes: 200, margins: [0, 0.2, 0.4] });
 * rep.detectionRate; rep.falseBoxesPerScene; rep.byMargin; rep.directAccuracy;
 * ```
 * @module
 */
import type { GrayImage } from "../data/image.ts";
import { lbpFor } from "../engine/inputs.ts";
import { predictImages } from "../engine/predict_images.ts";
import type { FerModel } from "../model/build.ts";
import type { Tta } from "../model/tta.ts";
import type { Progress } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import type { FaceBox } from "./box.ts";
import type { FaceDetector } from "./blazeface.ts";
import { faceCrop, toGray } from "./crop.ts";
import { makeScene, type PastedFace, type SceneOptions } from "./scene.ts";

/** Options of {@link measureScenes}. */
export interface MeasureOptions {
  /** Face pictures at the model's input size, and their class indices. */
  faces: GrayImage[];
  labels: number[];
  model: FerModel;
  detector: FaceDetector;
  scenes: number;
  /** Crop margins to compare (none: detection only). */
  margins: number[];
  seed?: number;
  scene?: SceneOptions;
  /** Faces drawn per scene from `faces` (default 8). */
  pool?: number;
  progress?: Progress;
}

/** Accuracy through detection at one margin. */
export interface MarginResult {
  margin: number;
  /** Accuracy on the found faces, cropped by detection. */
  accuracy: number;
  /** Accuracy counting every missed face as wrong. */
  endToEnd: number;
}

/** What {@link measureScenes} measured. */
export interface SceneReport {
  detector: string;
  scenes: number;
  scenesWithoutFaces: number;
  faces: number;
  found: number;
  detectionRate: number;
  falseBoxes: number;
  falseBoxesPerScene: number;
  /** Largest number of false boxes in one scene. */
  maxFalseBoxes: number;
  /** Sides (px) of the faces the detector missed. */
  missedSides: number[];
  /** Accuracy of the model on every pasted face, and on the found ones, each classified from its own picture
   * (null when no margin was tried: detection only). Both sides average the model's own views ({@link tta}). */
  directAccuracy: number | null;
  directAccuracyFound: number | null;
  byMargin: MarginResult[];
  /** The margin of the highest accuracy through detection (null when no margin was tried). */
  bestMargin: number | null;
  msPerScene: number;
  pixelsPerScene: number;
  /** The views each face's prediction averaged: the model's test-time augmentation, as `fer predict`'s. */
  tta: Tta;
}

/** True when `box` finds the pasted face `f` (see the module doc). */
export function findsFace(box: Omit<FaceBox, "score">, f: PastedFace): boolean {
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2, side = Math.max(box.width, box.height);
  return cx > f.x && cx < f.x + f.side && cy > f.y && cy < f.y + f.side && side >= 0.3 * f.side && side <= 1.5 * f.side;
}

/** Runs the scene measurement; see {@link MeasureOptions}. */
export async function measureScenes(opts: MeasureOptions): Promise<SceneReport> {
  const rng = new Rng(opts.seed ?? 1), fm = opts.model, size = fm.config.inputSize, k = fm.config.numClasses;
  const lbp = lbpFor(fm.config), pool = opts.pool ?? 8, tta = fm.tta ?? "none";
  const argmax = (p: Float32Array, i: number) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
    return best;
  };
  const direct = opts.margins.length ? await predictImages(fm, opts.faces, { lbp, tta }) : null;
  const directRight = opts.faces.map((_, i) => direct !== null && argmax(direct, i) === opts.labels[i]);
  let faces = 0, found = 0, falseBoxes = 0, maxFalse = 0, empty = 0, ms = 0, pixels = 0, directAll = 0, directFound = 0;
  const missed: number[] = [], right = opts.margins.map(() => 0);
  for (let s = 0; s < opts.scenes; s++) {
    const ids = Array.from({ length: pool }, () => rng.int(opts.faces.length));
    const scene = makeScene(ids.map((i) => opts.faces[i]), rng, opts.scene);
    const t0 = performance.now();
    const boxes = await opts.detector.detect(scene.image);
    ms += performance.now() - t0;
    pixels += scene.image.width * scene.image.height;
    if (scene.faces.length === 0) empty++;
    const used = new Set<number>(), matches: { box: FaceBox; face: number }[] = [];
    for (const f of scene.faces) {
      faces++;
      if (directRight[ids[f.face]]) directAll++;
      const j = boxes.findIndex((b, i) => !used.has(i) && findsFace(b, f));
      if (j < 0) {
        missed.push(f.side);
        continue;
      }
      used.add(j);
      matches.push({ box: boxes[j], face: ids[f.face] });
      if (directRight[ids[f.face]]) directFound++;
    }
    found += matches.length;
    falseBoxes += boxes.length - used.size;
    maxFalse = Math.max(maxFalse, boxes.length - used.size);
    if (matches.length > 0) {
      const gray = toGray(scene.image);
      for (const [m, margin] of opts.margins.entries()) {
        const crops = matches.map((x) => faceCrop(gray, x.box, { margin, size }));
        const p = await predictImages(fm, crops, { lbp, tta });
        matches.forEach((x, i) => {
          if (argmax(p, i) === opts.labels[x.face]) right[m]++;
        });
      }
    }
    opts.progress?.tick(1, { found: `${found}/${faces}`, false: falseBoxes });
  }
  const byMargin = opts.margins.map((margin, m) => ({
    margin,
    accuracy: found ? right[m] / found : 0,
    endToEnd: faces ? right[m] / faces : 0,
  }));
  const best = byMargin.reduce<MarginResult | null>((a, b) => (a === null || b.accuracy > a.accuracy ? b : a), null);
  return {
    detector: opts.detector.name,
    scenes: opts.scenes,
    scenesWithoutFaces: empty,
    faces,
    found,
    detectionRate: faces ? found / faces : 0,
    falseBoxes,
    falseBoxesPerScene: falseBoxes / opts.scenes,
    maxFalseBoxes: maxFalse,
    missedSides: missed.sort((a, b) => a - b),
    directAccuracy: direct && faces ? directAll / faces : null,
    directAccuracyFound: direct && found ? directFound / found : null,
    byMargin,
    bestMargin: best?.margin ?? null,
    msPerScene: ms / opts.scenes,
    pixelsPerScene: pixels / opts.scenes,
    tta,
  };
}
