/**
 * Generated scenes for measuring detection → crop → expression: square face pictures pasted at random sides and
 * places (never overlapping) into a larger background of shaded blobs, bars and noise. Some scenes get no face.
 * A pure function of the seed and the faces given.
 *
 * @example
 * ```ts
 * const scene = makeScene(faces, new Rng(1), { minSide: 48, maxSide: 300, maxFaces: 4 });
 * scene.faces; // [{ x, y, side, face }] where each face was pasted
 * ```
 * @module
 */
import { type GrayImage, resizeGray, type RgbImage } from "../data/image.ts";
import type { Rng } from "../util/rng.ts";

/** Options of {@link makeScene}. */
export interface SceneOptions {
  /** Range of a pasted face's side in pixels (default 48 and 300). */
  minSide?: number;
  maxSide?: number;
  /** At most this many faces (default 4); the count is uniform in 0..maxFaces. */
  maxFaces?: number;
  /** Range of the scene's width (default 640..1024); the height is 0.6..0.9 of it. */
  minWidth?: number;
  maxWidth?: number;
}

/** Where one face was pasted: its square and which of the given faces it is. */
export interface PastedFace {
  x: number;
  y: number;
  side: number;
  face: number;
}

/** A generated scene and the truth about it. */
export interface Scene {
  image: RgbImage;
  faces: PastedFace[];
}

/** Draws a scene with up to `maxFaces` faces chosen from `faces` (each used at most once per scene). */
export function makeScene(faces: GrayImage[], rng: Rng, opts: SceneOptions = {}): Scene {
  const minSide = opts.minSide ?? 48, maxSide = opts.maxSide ?? 300, maxFaces = opts.maxFaces ?? 4;
  const width = Math.round(rng.uniform(opts.minWidth ?? 640, opts.maxWidth ?? 1024));
  const height = Math.round(width * rng.uniform(0.6, 0.9));
  if (maxSide > Math.min(width, height)) {
    throw new Error(`scene: faces up to ${maxSide} px do not fit ${width}x${height}`);
  }
  const image = background(width, height, rng);
  const want = Math.min(faces.length, rng.int(maxFaces + 1));
  const order = rng.shuffle(faces.map((_, i) => i));
  const placed: PastedFace[] = [];
  for (let tries = 0; placed.length < want && tries < 200; tries++) {
    const side = Math.round(rng.uniform(minSide, maxSide));
    const x = rng.int(width - side + 1), y = rng.int(height - side + 1);
    const gap = 8;
    const clash = placed.some((p) =>
      x < p.x + p.side + gap && p.x < x + side + gap && y < p.y + p.side + gap && p.y < y + side + gap
    );
    if (clash) continue;
    const face = order[placed.length];
    paste(image, resizeGray(faces[face], side, side, "bilinear"), x, y);
    placed.push({ x, y, side, face });
  }
  return { image, faces: placed };
}

function paste(img: RgbImage, face: GrayImage, x0: number, y0: number): void {
  for (let y = 0; y < face.height; y++) {
    for (let x = 0; x < face.width; x++) {
      const v = face.data[y * face.width + x], o = ((y0 + y) * img.width + x0 + x) * 3;
      img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
    }
  }
}

/** A colour gradient with soft blobs, straight bars and pixel noise. */
function background(width: number, height: number, rng: Rng): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const c0 = [0, 1, 2].map(() => rng.uniform(40, 215)), c1 = [0, 1, 2].map(() => rng.uniform(40, 215));
  const blobs = Array.from({ length: 3 + rng.int(6) }, () => ({
    x: rng.uniform(0, width),
    y: rng.uniform(0, height),
    r: rng.uniform(30, 250),
    c: [0, 1, 2].map(() => rng.uniform(-90, 90)),
  }));
  const bars = Array.from({ length: 2 + rng.int(5) }, () => {
    const vertical = rng.bernoulli();
    const at = rng.uniform(0, vertical ? width : height);
    return { vertical, from: at, to: at + rng.uniform(4, 40), c: rng.uniform(-70, 70) };
  });
  for (let y = 0; y < height; y++) {
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let bar = 0;
      for (const b of bars) {
        const p = b.vertical ? x : y;
        if (p >= b.from && p < b.to) bar += b.c;
      }
      for (let c = 0; c < 3; c++) {
        let v = c0[c] * (1 - t) + c1[c] * t + bar;
        for (const b of blobs) {
          const d2 = ((x - b.x) ** 2 + (y - b.y) ** 2) / (b.r * b.r);
          if (d2 < 4) v += b.c[c] * Math.exp(-d2);
        }
        v += (rng.next() - 0.5) * 16;
        data[o + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return { width, height, data };
}
