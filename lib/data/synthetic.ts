/**
 * The embedded default dataset: procedural faces drawn with @napi-rs/canvas, 7 expressions that differ in
 * mouth curve/opening, brow angle/height and eye opening (plus a nose wrinkle and lip asymmetry for
 * disgust), under random pose, scale, lighting and noise. Identity (face shape, skin, feature placement)
 * belongs to a subject, so subject-independent folds are meaningful. Each face has a mask (255 where the
 * expression signal lives: brows, eyes, mouth, nose wrinkle) so attention maps can be scored.
 * Everything is a pure function of (seed, index): images are drawn on demand, at any size.
 *
 * `clutter` adds distractors: brow-like bars and mouth-like arcs of random tilt and curve, drawn on the face
 * and the background away from the expression features (as wrinkles, hair strands, shadows and background
 * objects are in real pictures). They carry no label and lie outside the mask, so the expression signal is
 * still all inside it, but a model can no longer find it by looking for brow and mouth shapes anywhere: this
 * is the task where *where to look* matters, the one an attention module is for. Without `clutter` (0, the
 * default) the faces are exactly those of earlier versions.
 *
 * @example
 * ```ts
 * const ds = syntheticDataset({ n: 700, size: 48, seed: 1 });
 * const img = await ds.load(ds.samples[0]);
 * const mask = await ds.loadMask!(ds.samples[0]);
 * ```
 * @module
 */
import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import type { Dataset, LoadOptions, Sample } from "./dataset.ts";
import type { GrayImage } from "./image.ts";
import { FER2013_EMOTIONS } from "./labels.ts";
import { Rng } from "../util/rng.ts";

/** Options of {@link syntheticDataset}. */
export interface SyntheticOptions {
  /** Number of faces (default 1000). */
  n?: number;
  /** Side in pixels (default 48). */
  size?: number;
  seed?: number;
  /** Number of identities (default clamp(n/20, 5, 60)). */
  subjects?: number;
  /** Distractor strokes per face, outside the expression features (default 0: none). */
  clutter?: number;
}

/** Expression geometry, all in face units; 0 = neutral. */
interface Expr {
  curve: number; // mouth corners up (+) / down (-)
  open: number; // mouth opening 0..1
  width: number; // mouth width factor
  browTilt: number; // inner brow ends up (+, sad/fear) or down (-, angry)
  browRaise: number; // whole brow up (+) / down (-)
  eyeOpen: number; // eye opening factor
  wrinkle: number; // nose wrinkle 0..1
  asym: number; // one-sided upper-lip raise 0..1
}

const NEUTRAL: Expr = { curve: 0, open: 0, width: 1, browTilt: 0, browRaise: 0, eyeOpen: 1, wrinkle: 0, asym: 0 };
const EXPR: Record<string, Expr> = {
  angry: { curve: -0.25, open: 0, width: 0.8, browTilt: -1, browRaise: -0.6, eyeOpen: 0.65, wrinkle: 0, asym: 0 },
  disgust: {
    curve: -0.45,
    open: 0.15,
    width: 0.9,
    browTilt: -0.3,
    browRaise: -0.3,
    eyeOpen: 0.55,
    wrinkle: 1,
    asym: 1,
  },
  fear: { curve: -0.15, open: 0.55, width: 1.2, browTilt: 0.8, browRaise: 0.6, eyeOpen: 1.45, wrinkle: 0, asym: 0 },
  happy: { curve: 1, open: 0.3, width: 1.2, browTilt: 0, browRaise: 0.05, eyeOpen: 0.75, wrinkle: 0, asym: 0 },
  sad: { curve: -0.9, open: 0, width: 0.95, browTilt: 1, browRaise: 0.1, eyeOpen: 0.7, wrinkle: 0, asym: 0 },
  surprise: { curve: 0, open: 1, width: 0.65, browTilt: 0, browRaise: 1, eyeOpen: 1.55, wrinkle: 0, asym: 0 },
  neutral: NEUTRAL,
};

interface Identity {
  faceW: number;
  faceH: number;
  skin: number;
  hair: number;
  eyeSep: number;
  eyeY: number;
  eyeW: number;
  mouthY: number;
  mouthW: number;
  browW: number;
}

/** A distractor stroke, in face units: a bar (brow-like) or an arc (mouth-like) of the given curve. */
interface Clutter {
  kind: "bar" | "arc";
  x: number;
  y: number;
  angle: number;
  length: number;
  curve: number;
  width: number;
  shade: number;
}

interface Face {
  id: Identity;
  ex: Expr;
  clutter: Clutter[];
  rot: number;
  scale: number;
  tx: number;
  ty: number;
  bg: number;
  light: [number, number, number]; // gain, gx, gy
  noise: number;
  noiseSeed: number;
}

/** Builds the synthetic dataset (samples are cheap; pixels are drawn in load()). */
export function syntheticDataset(opts: SyntheticOptions = {}): Dataset {
  const n = opts.n ?? 1000, size = opts.size ?? 48, seed = opts.seed ?? 0, nClutter = opts.clutter ?? 0;
  const nSubj = opts.subjects ?? Math.max(5, Math.min(60, Math.round(n / 20)));
  if (!Number.isInteger(n) || n < 1) throw new Error(`synthetic: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(size) || size < 16) throw new Error(`synthetic: size must be an integer >= 16, got ${size}`);
  if (!Number.isInteger(nClutter) || nClutter < 0) {
    throw new Error(`synthetic: clutter must be a non-negative integer, got ${nClutter}`);
  }
  const classes = [...FER2013_EMOTIONS];
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({
    path: `synthetic:${seed}/${i}`,
    label: i % classes.length,
    subject: `s${Math.floor(i / classes.length) % nSubj}`,
  }));
  const identities = Array.from({ length: nSubj }, (_, s) => identity(new Rng(`synthetic:${seed}:subject:${s}`)));
  const faceOf = (sample: Sample): Face => {
    const i = Number(sample.path.slice(sample.path.lastIndexOf("/") + 1));
    if (!sample.path.startsWith(`synthetic:${seed}/`) || !(i >= 0 && i < n)) {
      throw new Error(`${sample.path}: not a sample of synthetic dataset seed=${seed} n=${n}`);
    }
    const s = Number(samples[i].subject!.slice(1));
    const f = face(identities[s], classes[samples[i].label], new Rng(`synthetic:${seed}:face:${i}`));
    return nClutter ? { ...f, clutter: clutter(f.id, nClutter, new Rng(`synthetic:${seed}:clutter:${i}`)) } : f;
  };
  return {
    name: "synthetic",
    root: `synthetic:${seed}${nClutter ? `+clutter${nClutter}` : ""}`, // records tell the two tasks apart
    classes,
    samples,
    load: async (sample: Sample, o: LoadOptions = {}) => await renderFace(faceOf(sample), o.size ?? size),
    loadMask: async (sample: Sample, o: LoadOptions = {}) => await renderMask(faceOf(sample), o.size ?? size),
  };
}

function identity(r: Rng): Identity {
  return {
    faceW: r.uniform(0.56, 0.72),
    faceH: r.uniform(0.74, 0.88),
    skin: r.uniform(135, 215),
    hair: r.uniform(15, 90),
    eyeSep: r.uniform(0.24, 0.32),
    eyeY: r.uniform(-0.16, -0.06),
    eyeW: r.uniform(0.12, 0.16),
    mouthY: r.uniform(0.36, 0.46),
    mouthW: r.uniform(0.26, 0.36),
    browW: r.uniform(0.035, 0.06),
  };
}

function face(id: Identity, expression: string, r: Rng): Face {
  const target = EXPR[expression];
  const k = r.uniform(0.55, 1); // expression intensity
  const jitter = 0.12;
  const ex = {} as Expr;
  for (const key of Object.keys(NEUTRAL) as (keyof Expr)[]) {
    ex[key] = NEUTRAL[key] + k * (target[key] - NEUTRAL[key]) + jitter * r.normal() * (key === "width" ? 0.5 : 1);
  }
  ex.open = Math.max(0, ex.open);
  ex.wrinkle = Math.max(0, ex.wrinkle);
  ex.asym = Math.max(0, ex.asym);
  ex.eyeOpen = Math.max(0.25, ex.eyeOpen);
  return {
    id,
    ex,
    rot: r.uniform(-0.25, 0.25),
    scale: r.uniform(0.82, 1.08),
    tx: r.uniform(-0.1, 0.1),
    ty: r.uniform(-0.08, 0.08),
    bg: r.uniform(20, 160),
    light: [r.uniform(0.6, 1.25), r.uniform(-0.35, 0.35), r.uniform(-0.35, 0.35)],
    noise: r.uniform(2, 14),
    noiseSeed: r.nextUint32(),
    clutter: [],
  };
}

/** `count` distractors at random places of the picture (face units, ±1 spans it), away from the eyes, brows
 * and mouth of this identity so that none overlaps the expression features. */
function clutter(id: Identity, count: number, r: Rng): Clutter[] {
  const keepOut = [
    { x: -id.eyeSep, y: id.eyeY - 0.06, r: id.eyeW + 0.16 },
    { x: id.eyeSep, y: id.eyeY - 0.06, r: id.eyeW + 0.16 },
    { x: 0, y: id.eyeY + 0.05, r: 0.14 }, // the nose wrinkle
    { x: 0, y: id.mouthY + 0.03, r: id.mouthW / 2 + 0.2 },
  ];
  const out: Clutter[] = [];
  while (out.length < count) {
    const x = r.uniform(-1, 1), y = r.uniform(-1, 1);
    const c: Clutter = {
      kind: r.next() < 0.5 ? "bar" : "arc",
      x,
      y,
      angle: r.uniform(-0.6, 0.6),
      length: r.uniform(0.18, 0.34),
      curve: r.uniform(-0.09, 0.09),
      width: r.uniform(0.03, 0.055),
      shade: r.uniform(0.2, 0.6),
    };
    if (keepOut.every((k) => Math.hypot(x - k.x, y - k.y) > k.r + c.length / 2)) out.push(c);
  }
  return out;
}

function drawClutter(ctx: SKRSContext2D, f: Face): void {
  for (const c of f.clutter) {
    ctx.save();
    ctx.translate(c.x, c.y);
    ctx.rotate(c.angle);
    ctx.strokeStyle = gray(c.kind === "bar" ? f.id.hair * 0.6 : f.id.skin * c.shade);
    ctx.lineWidth = c.width;
    ctx.beginPath();
    ctx.moveTo(-c.length / 2, 0);
    ctx.quadraticCurveTo(0, c.kind === "arc" ? 2 * c.curve : 0, c.length / 2, 0);
    ctx.stroke();
    ctx.restore();
  }
}

const canvases = new Map<number, Canvas>();

function context(size: number, f: Face): SKRSContext2D {
  let c = canvases.get(size);
  if (!c) canvases.set(size, c = createCanvas(size, size));
  const ctx = c.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.translate(size / 2 * (1 + f.tx), size / 2 * (1 + f.ty));
  ctx.rotate(f.rot);
  ctx.scale(size / 2 * f.scale, size / 2 * f.scale);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  return ctx;
}

function gray(v: number): string {
  const g = Math.max(0, Math.min(255, Math.round(v)));
  return `rgb(${g},${g},${g})`;
}

/** Brow segment endpoints for side s (-1 left, +1 right): [outerX, outerY, innerX, innerY]. */
function brow(f: Face, s: number): [number, number, number, number] {
  const { id, ex } = f;
  const y = id.eyeY - 0.12 - 0.07 * ex.browRaise;
  const half = id.eyeW * 1.05;
  const cx = s * id.eyeSep;
  return [cx + s * half, y + 0.02 * ex.browTilt, cx - s * half, y - 0.07 * ex.browTilt];
}

function mouthPath(ctx: SKRSContext2D, f: Face, grow: number): void {
  const { id, ex } = f;
  const w = id.mouthW * ex.width / 2 + grow;
  const cy = id.mouthY - 0.075 * ex.curve;
  const ly = cy, ry = cy - 0.07 * ex.asym;
  const upper = id.mouthY - 0.03 * ex.open - 0.05 * ex.asym - grow;
  const lower = id.mouthY + 0.16 * ex.open + 0.06 * Math.max(0, ex.curve) + grow;
  ctx.beginPath();
  ctx.moveTo(-w, ly);
  ctx.quadraticCurveTo(0, 2 * upper - (ly + ry) / 2, w, ry);
  ctx.quadraticCurveTo(0, 2 * lower - (ly + ry) / 2, -w, ly);
  ctx.closePath();
}

function drawFeatures(ctx: SKRSContext2D, f: Face, mask: boolean): void {
  const { id, ex } = f;
  const dark = mask ? "white" : gray(id.hair * 0.6);
  const grow = mask ? 0.04 : 0;
  // Eyes: sclera and pupil, opening scales the height.
  for (const s of [-1, 1]) {
    const cx = s * id.eyeSep, eh = 0.055 * ex.eyeOpen + grow;
    ctx.fillStyle = mask ? "white" : gray(235);
    ctx.beginPath();
    ctx.ellipse(cx, id.eyeY, id.eyeW + grow, eh, 0, 0, 2 * Math.PI);
    ctx.fill();
    if (!mask) {
      ctx.fillStyle = gray(25);
      ctx.beginPath();
      ctx.ellipse(cx, id.eyeY, Math.min(0.05, id.eyeW * 0.45), Math.min(0.05, eh), 0, 0, 2 * Math.PI);
      ctx.fill();
    }
    const [ox, oy, ix, iy] = brow(f, s);
    ctx.strokeStyle = dark;
    ctx.lineWidth = id.browW + 2 * grow;
    ctx.beginPath();
    ctx.moveTo(ox, oy);
    ctx.lineTo(ix, iy);
    ctx.stroke();
  }
  // Nose, and wrinkles across its bridge (disgust).
  if (!mask) {
    ctx.strokeStyle = gray(id.skin * 0.7);
    ctx.lineWidth = 0.03;
    ctx.beginPath();
    ctx.moveTo(0, id.eyeY + 0.05);
    ctx.lineTo(-0.04, id.mouthY - 0.14);
    ctx.lineTo(0.03, id.mouthY - 0.13);
    ctx.stroke();
  }
  if (ex.wrinkle > 0.15) {
    ctx.strokeStyle = mask ? "white" : gray(id.skin * (1 - 0.45 * Math.min(1, ex.wrinkle)));
    ctx.lineWidth = 0.025 + 2 * grow;
    for (const dy of [0.02, 0.08]) {
      ctx.beginPath();
      ctx.moveTo(-0.08, id.eyeY + dy);
      ctx.quadraticCurveTo(0, id.eyeY + dy - 0.03, 0.08, id.eyeY + dy);
      ctx.stroke();
    }
  }
  // Mouth: filled opening outlined by the lips.
  mouthPath(ctx, f, grow);
  ctx.fillStyle = mask ? "white" : gray(30);
  ctx.fill();
  ctx.strokeStyle = mask ? "white" : gray(id.skin * 0.45);
  ctx.lineWidth = 0.045 + 2 * grow;
  ctx.stroke();
}

function renderFace(f: Face, size: number): GrayImage {
  const ctx = context(size, f);
  const { id } = f;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = gray(f.bg);
  ctx.fillRect(0, 0, size, size);
  ctx.restore();
  ctx.fillStyle = gray(id.hair);
  ctx.beginPath();
  ctx.ellipse(0, -0.12, id.faceW * 1.08, id.faceH * 0.98, 0, Math.PI, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = gray(id.skin);
  ctx.beginPath();
  ctx.ellipse(0, 0.02, id.faceW, id.faceH, 0, 0, 2 * Math.PI);
  ctx.fill();
  drawClutter(ctx, f);
  drawFeatures(ctx, f, false);
  const rgba = ctx.getImageData(0, 0, size, size).data;
  const out = new Uint8Array(size * size);
  const r = new Rng(f.noiseSeed);
  const [gain, gx, gy] = f.light;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const shade = gain + gx * (x / size - 0.5) * 2 + gy * (y / size - 0.5) * 2;
      out[i] = Math.max(0, Math.min(255, Math.round(rgba[4 * i] * shade + f.noise * r.normal())));
    }
  }
  return { width: size, height: size, data: out };
}

function renderMask(f: Face, size: number): GrayImage {
  const ctx = context(size, f);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "black";
  ctx.fillRect(0, 0, size, size);
  ctx.restore();
  drawFeatures(ctx, f, true);
  const rgba = ctx.getImageData(0, 0, size, size).data;
  const out = new Uint8Array(size * size);
  for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i] >= 128 ? 255 : 0;
  return { width: size, height: size, data: out };
}
