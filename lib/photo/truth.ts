/**
 * Faces marked by hand in real photos, and detected boxes matched against them: the truth file's typed parser
 * (its errors name the file and the field), the folder of the six group photos that ship inside
 * @vladmandic/face-api's npm package, and one-to-one matching by overlap (IoU).
 *
 * @example
 * ```ts
 * const truth = await readFaceTruth("bench/real_photos_truth.json");
 * const photo = await readPhoto(join(samplePhotosDir(), truth[0].file));
 * const m = matchFaces(truth[0].faces, await detector.detect(photo), 0.4);
 * m.matches; m.missed; m.falseBoxes;
 * ```
 * @module
 */
import { join } from "node:path";
import { FACE_API_VERSION } from "../peers/face_api_expression.ts";
import { packageDir } from "../peers/package_files.ts";
import { readJsonFile } from "../util/mod.ts";
import { type FaceBox, iou } from "./box.ts";

/** One face marked by hand: its box in pixels of the upright photo, and whether its expression can be judged. */
export interface TruthFace {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Both eyes and the mouth visible, head turned less than about 45°. */
  frontal: boolean;
  note?: string;
}

/** One photo of a truth file: its file name, its upright size, and every visible face. */
export interface TruthPhoto {
  file: string;
  width: number;
  height: number;
  faces: TruthFace[];
}

/** The folder of face-api's demo photos (sample1.jpg … sample6.jpg) inside the installed package. */
export function samplePhotosDir(): string {
  return join(packageDir("@vladmandic/face-api", FACE_API_VERSION), "demo");
}

/** Parses a truth file's JSON (`{ photos: [{ file, width, height, faces: [{ x, y, width, height, frontal }] }] }`). */
export function parseFaceTruth(json: unknown, name: string): TruthPhoto[] {
  const photos = (json as { photos?: unknown })?.photos;
  if (!Array.isArray(photos) || photos.length === 0) throw new Error(`${name}: expected a non-empty "photos" list`);
  const positive = (v: unknown, field: string, min: number) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
      throw new Error(`${name}: ${field} must be a number ≥ ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  return photos.map((p, i): TruthPhoto => {
    const at = `photos[${i}]`;
    if (typeof p?.file !== "string" || !/^[\w.-]+\.(jpe?g|png)$/i.test(p.file)) {
      throw new Error(
        `${name}: ${at}.file must be a plain image file name (no folder), got ${JSON.stringify(p?.file)}`,
      );
    }
    if (!Array.isArray(p.faces)) throw new Error(`${name}: ${at}.faces must be a list`);
    return {
      file: p.file,
      width: positive(p.width, `${at}.width`, 1),
      height: positive(p.height, `${at}.height`, 1),
      faces: p.faces.map((f: Record<string, unknown>, j: number): TruthFace => {
        const fa = `${at}.faces[${j}]`;
        if (typeof f?.frontal !== "boolean") throw new Error(`${name}: ${fa}.frontal must be true or false`);
        const face: TruthFace = {
          x: positive(f.x, `${fa}.x`, 0),
          y: positive(f.y, `${fa}.y`, 0),
          width: positive(f.width, `${fa}.width`, 1),
          height: positive(f.height, `${fa}.height`, 1),
          frontal: f.frontal,
        };
        if (face.x + face.width > p.width || face.y + face.height > p.height) {
          throw new Error(`${name}: ${fa} reaches outside the ${p.width}x${p.height} photo`);
        }
        if (typeof f.note === "string") face.note = f.note;
        return face;
      }),
    };
  });
}

/** Reads and parses a truth file; see {@link parseFaceTruth}. */
export async function readFaceTruth(path: string): Promise<TruthPhoto[]> {
  return parseFaceTruth(await readJsonFile(path, "the truth file as JSON"), path);
}

/** A true face and the box that found it. */
export interface FaceMatch {
  /** Index into the true faces. */
  face: number;
  /** Index into the boxes. */
  box: number;
  iou: number;
}

/** What {@link matchFaces} found: the pairs, the true faces no box found, and the boxes on no true face. */
export interface FaceMatching {
  matches: FaceMatch[];
  missed: number[];
  falseBoxes: number[];
}

/**
 * Matches boxes to true faces one to one, the pair of highest IoU first, keeping pairs of IoU ≥ `minIou`.
 *
 * @example
 * ```ts
 * matchFaces([{ x: 0, y: 0, width: 10, height: 10 }], [{ x: 1, y: 0, width: 10, height: 10 }], 0.4).matches;
 * // [{ face: 0, box: 0, iou: 0.818… }]
 * ```
 */
export function matchFaces(
  faces: Omit<FaceBox, "score">[],
  boxes: Omit<FaceBox, "score">[],
  minIou: number,
): FaceMatching {
  const pairs: FaceMatch[] = [];
  faces.forEach((f, face) =>
    boxes.forEach((b, box) => {
      const o = iou(f, b);
      if (o >= minIou) pairs.push({ face, box, iou: o });
    })
  );
  pairs.sort((a, b) => b.iou - a.iou);
  const usedF = new Set<number>(), usedB = new Set<number>(), matches: FaceMatch[] = [];
  for (const p of pairs) {
    if (usedF.has(p.face) || usedB.has(p.box)) continue;
    usedF.add(p.face);
    usedB.add(p.box);
    matches.push(p);
  }
  return {
    matches: matches.sort((a, b) => a.face - b.face),
    missed: faces.map((_, i) => i).filter((i) => !usedF.has(i)),
    falseBoxes: boxes.map((_, i) => i).filter((i) => !usedB.has(i)),
  };
}
