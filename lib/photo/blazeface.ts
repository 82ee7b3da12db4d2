/**
 * BlazeFace (MediaPipe's "back camera" face detector, the `blazeface.json` graph model that ships inside
 * @vladmandic/human) over a whole photo: the photo padded square and shrunk to the model's 256×256 finds the
 * large faces, overlapping tiles at a finer scale find the small ones, and non-maximum suppression merges the two;
 * then a second look: each box kept is shown to the model again, centred in a square twice its side, and stays only
 * when the model finds it there too.
 *
 * Decoding follows the model's anchors (MediaPipe's SSD anchors: a 16×16 grid with 2 anchors per cell and an 8×8
 * grid with 6, one row of 16 per anchor: centre offset x, y and size w, h in input pixels, then 6 keypoints) and a sigmoid score.
 * Free of Deno APIs: the page runs the same code on model files fetched by URL.
 *
 * @example
 * ```ts
 * const detector = blazeFace(await loadGraphModel(tf.io.fromMemory(artifacts)));
 * const boxes = await detector.detect(rgb); // [{ x, y, width, height, score }]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import type { RgbImage } from "../data/image.ts";
import { type FaceBox, iou, squareWindow, suppress } from "./box.ts";

/** Finds faces in a photo. */
export interface FaceDetector {
  /** Names the detector and its weights (for records). */
  name: string;
  detect(img: RgbImage): Promise<FaceBox[]>;
  dispose(): void;
}

/** Options of {@link blazeFace}. */
export interface BlazeFaceOptions {
  /** Smallest score kept (default {@link DETECTOR_DEFAULTS}.minScore). */
  minScore?: number;
  /** Boxes overlapping a better one by more IoU than this are dropped (default 0.3). */
  maxIou?: number;
  /** Side in photo pixels of the tiles of the fine pass; photos no larger than this get the whole-photo pass only (default 512). */
  tile?: number;
  /** Smallest {@link secondLook} score a box keeps (default {@link DETECTOR_DEFAULTS}.secondLook; 0: no second look). */
  secondLook?: number;
}

/**
 * The defaults, from the scene measurement (results/photo/scenes-fer2013.json, 40 scenes per variant): minScore
 * 0.5 found 73 of 76 faces with no false box (0.75: 58, 0.3: 75 with 5 false boxes); 512 px tiles found 73 in
 * 1.1 s per scene (no tiles: 56 in 0.4 s; 384 px tiles: 76 with 1 false box in 1.4 s). On six real group photos
 * 0.5 alone kept 13 false boxes, on hands, arms, cloth and a wall socket: a box now stays only when the model, shown
 * it again centred in a square twice its side (lookMargin 1), scores it at least secondLook (see {@link secondLook}).
 * results/photo/real-photos.json: at 0.65 all 22 faces stay with 2 false boxes (0.6: 4; 0.75: 1, but a face lost)
 * and 104 of 108 scene faces with none (105 and 1 false box at one look; 0.75: 98), for 18% more time per photo;
 * face-api's SSD as the second stage instead kept 17 of the 22 faces, at 37 s per crop. On 120 scenes
 * (results/photo/second-look/scenes-fer2013.json) 92.1% of 227 faces are found, no false box.
 */
export const DETECTOR_DEFAULTS = { minScore: 0.5, maxIou: 0.3, tile: 512, secondLook: 0.65, lookMargin: 1 } as const;

const INPUT = 256;

/** Anchor centres in input pixels, in the model's output order: the 16×16 grid (2 each), then the 8×8 grid (6 each). */
export function blazeAnchors(input = INPUT): Float32Array {
  const out: number[] = [];
  for (const [stride, per] of [[input / 16, 2], [input / 8, 6]]) {
    const cells = Math.ceil(input / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let k = 0; k < per; k++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(out);
}

const ANCHORS = blazeAnchors();

/** Square windows (x, y, side in photo pixels) the detector looks through: the whole photo, then tiles at half overlap. */
export function detectionWindows(
  width: number,
  height: number,
  tile: number,
): { x: number; y: number; side: number }[] {
  const windows = [{ x: 0, y: 0, side: Math.max(width, height) }];
  if (Math.max(width, height) <= tile) return windows;
  const starts = (n: number) => {
    if (n <= tile) return [0];
    const k = Math.ceil((n - tile) / (tile / 2));
    return Array.from({ length: k + 1 }, (_, i) => Math.round((i * (n - tile)) / k));
  };
  for (const y of starts(height)) for (const x of starts(width)) windows.push({ x, y, side: tile });
  return windows;
}

/** The photo as the one float32 batch every window is cropped from (made once per photo, not per window). */
function photoBatch(img: RgbImage): tf.Tensor4D {
  return tf.tidy(() =>
    tf.expandDims(tf.cast(tf.tensor3d(img.data, [img.height, img.width, 3], "int32"), "float32"), 0)
  );
}

/** Every anchor of one model run on a square window of the photo scoring at least `minScore`, in photo pixels. */
async function scan(
  model: GraphModel,
  photo: tf.Tensor4D,
  w: { x: number; y: number; side: number },
  minScore: number,
): Promise<FaceBox[]> {
  const [, height, width] = photo.shape;
  const [scores, regs] = tf.tidy(() => {
    const box = [[w.y / height, w.x / width, (w.y + w.side) / height, (w.x + w.side) / width]];
    const x = tf.image.cropAndResize(photo, box, [0], [INPUT, INPUT]);
    const out = model.execute(tf.sub(tf.div(x, 127.5), 1)) as tf.Tensor[];
    const byAnchors = (n: number, c: number) => out.find((t) => t.shape[1] === n && t.shape[2] === c)!;
    const logits = tf.concat([byAnchors(512, 1), byAnchors(384, 1)], 1);
    return [tf.sigmoid(tf.clipByValue(logits, -80, 80)), tf.concat([byAnchors(512, 16), byAnchors(384, 16)], 1)];
  });
  const s = await scores.data(), r = await regs.data();
  tf.dispose([scores, regs]);
  const anchors = ANCHORS, k = w.side / INPUT, found: FaceBox[] = [];
  for (let a = 0; a < s.length; a++) {
    if (s[a] < minScore) continue;
    const cx = r[a * 16] + anchors[2 * a], cy = r[a * 16 + 1] + anchors[2 * a + 1];
    const bw = r[a * 16 + 2], bh = r[a * 16 + 3];
    if (!(bw > 0 && bh > 0)) continue;
    found.push({ x: w.x + (cx - bw / 2) * k, y: w.y + (cy - bh / 2) * k, width: bw * k, height: bh * k, score: s[a] });
  }
  return found;
}

/**
 * The second look: each box's score when the model sees it again, centred in the square `margin` makes around it
 * (the best anchor there overlapping the box by IoU ≥ 0.3; 0 when none).
 *
 * @example
 * ```ts
 * const looks = await secondLook(model, rgb, boxes); // one score in [0, 1] per box
 * ```
 */
export async function secondLook(
  model: GraphModel,
  img: RgbImage,
  boxes: Omit<FaceBox, "score">[],
  margin: number = DETECTOR_DEFAULTS.lookMargin,
): Promise<number[]> {
  const photo = photoBatch(img);
  try {
    return await looks(model, photo, boxes, margin);
  } finally {
    photo.dispose();
  }
}

async function looks(
  model: GraphModel,
  photo: tf.Tensor4D,
  boxes: Omit<FaceBox, "score">[],
  margin: number,
): Promise<number[]> {
  const out: number[] = [];
  for (const b of boxes) {
    const seen = await scan(model, photo, squareWindow(b, margin), 0);
    out.push(Math.max(0, ...seen.filter((s) => iou(s, b) >= 0.3).map((s) => s.score)));
  }
  return out;
}

/**
 * A {@link FaceDetector} over the BlazeFace graph model.
 *
 * @example
 * ```ts
 * const d = blazeFace(model, { minScore: 0.75 });
 * ```
 */
export function blazeFace(model: GraphModel, opts: BlazeFaceOptions = {}): FaceDetector {
  const minScore = opts.minScore ?? DETECTOR_DEFAULTS.minScore;
  const maxIou = opts.maxIou ?? DETECTOR_DEFAULTS.maxIou;
  const tile = opts.tile ?? DETECTOR_DEFAULTS.tile;
  const minLook = opts.secondLook ?? DETECTOR_DEFAULTS.secondLook;
  const shape = model.inputs[0]?.shape;
  if (!shape || shape[1] !== INPUT || shape[2] !== INPUT || shape[3] !== 3) {
    throw new Error(`BlazeFace: expected a graph model taking [1, ${INPUT}, ${INPUT}, 3], got [${shape}]`);
  }
  return {
    name: `blazeface-back (@vladmandic/human models/blazeface.json), minScore ${minScore}` +
      (minLook > 0 ? `, second look ${minLook} at margin ${DETECTOR_DEFAULTS.lookMargin}` : ""),
    async detect(img) {
      if (img.data.length !== img.width * img.height * 3) {
        throw new Error(`BlazeFace: expected ${img.width}x${img.height}x3 RGB bytes, got ${img.data.length}`);
      }
      const found: FaceBox[] = [];
      const photo = photoBatch(img);
      try {
        for (const w of detectionWindows(img.width, img.height, tile)) {
          found.push(...await scan(model, photo, w, minScore));
        }
        const kept = suppress(found, maxIou);
        if (!(minLook > 0)) return kept;
        const second = await looks(model, photo, kept, DETECTOR_DEFAULTS.lookMargin);
        return kept.filter((_, i) => second[i] >= minLook);
      } finally {
        photo.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
