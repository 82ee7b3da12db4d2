/**
 * `deno task bench photos`: detection → crop → expression on real photos, the six group photos that ship in
 * @vladmandic/face-api's npm package (demo/sample1.jpg … sample6.jpg, read where the package is installed), against
 * the faces marked by hand in bench/real_photos_truth.json.
 *
 * - Detection (BlazeFace as `fer predict` runs it): faces found (IoU ≥ --iou with a true face, frontal and all),
 *   false boxes, each box's score and second-look score beside its best overlap, and what each score threshold from
 *   --floor up would keep, without and with each second-look threshold; ms per photo of both looks. face-api's own
 *   detector (SSD MobileNet v1, its default) is measured the same way, and with --peer-looks face-api's two
 *   detectors also score each box's crop as a second stage would (ms per crop).
 * - Expressions: there are no expression labels, so no accuracy. For each true face, our model's label on
 *   BlazeFace's box (as `fer predict` gives it), human's emotion model on the same crop, and face-api's expression
 *   net on the box its own detector found; the agreement rates of the three pairs stand in for a check.
 *
 * @example
 * ```sh
 * FER_THREADS=1 nice -n 5 deno task bench photos --out results/photo/real-photos.json
 * ```
 * @module
 */
import { join } from "node:path";
import { selectBackend } from "../lib/backend/mod.ts";
import { canonicalLabel, datasetDir, loadDataset, readPhoto, type RgbImage } from "../lib/data/mod.ts";
import { loadModel, modelDir } from "../lib/model/mod.ts";
import { FACE_API_VERSION, HUMAN_VERSION, type PeerName, peerPredict } from "../lib/peers/mod.ts";
import {
  blazeFace,
  CROP_MARGIN,
  detectAndClassify,
  DETECTOR_DEFAULTS,
  type FaceBox,
  faceCrop,
  type FaceDetector,
  iou,
  loadDetectorModel,
  matchFaces,
  measureScenes,
  readFaceTruth,
  samplePhotosDir,
  secondLook,
  squareWindow,
  toGray,
  type TruthPhoto,
} from "../lib/photo/mod.ts";
import { Progress } from "../lib/util/mod.ts";
import { faceApiDetector } from "../tools/face_api_detectors.ts";
import { startRecord } from "./record.ts";
import { scriptArgs, usageError } from "../tools/args.ts";

const { values } = scriptArgs(Deno.args, {
  command: "deno task bench photos",
  summary: "Faces found, false boxes, detector scores and ms per photo on face-api's six real group photos against " +
    "hand-made boxes; our model's labels beside both peers' (no expression truth: agreement only). Prints JSON.",
  options: {
    truth: { type: "string", default: "bench/real_photos_truth.json", help: "the hand-made boxes" },
    model: { type: "string", default: "fer2013", help: "a shipped model name or a saved model folder" },
    iou: {
      type: "number",
      default: 0.4,
      min: 0.05,
      max: 1,
      help: "overlap with a true face that counts as finding it",
    },
    floor: {
      type: "number",
      default: 0.3,
      min: 0.05,
      max: 1,
      help: "lowest BlazeFace score kept, to see the scores below the default threshold",
    },
    "min-score": {
      type: "number",
      default: DETECTOR_DEFAULTS.minScore,
      min: 0.05,
      max: 1,
      help: "BlazeFace's score threshold for the boxes that are classified (at least --floor)",
    },
    "second-look": {
      type: "number",
      default: DETECTOR_DEFAULTS.secondLook,
      min: 0,
      max: 1,
      help: "the second-look score threshold for the boxes that are classified (0: none)",
    },
    "peer-looks": {
      type: "boolean",
      default: false,
      help: "also score each box at --floor on its crop with face-api's SSD and tiny detectors (slow)",
    },
    scenes: {
      type: "number",
      default: 0,
      min: 0,
      max: 10000,
      integer: true,
      help: "also this many generated scenes of FER2013 PublicTest faces (needs the dataset; tools/photo_scenes.ts's " +
        "seed 1), for what each threshold keeps there",
    },
    backend: { type: "string", default: "wasm", help: "tfjs backend of BlazeFace and the models" },
    out: { type: "string", help: "also write the record (with the machine, its load and the commit) here" },
  },
});
const minIou = values.iou, floor = values.floor, minScore = values["min-score"], sceneCount = values.scenes;
const minLook = values["second-look"];
if (minScore < floor) usageError("deno task bench photos", `--min-score ${minScore} is below --floor ${floor}`);
const ferDir = sceneCount > 0 ? datasetDir("fer2013") : null;
if (sceneCount > 0 && !ferDir) {
  console.error("--scenes needs FER2013 (set FER_DATA to the folder holding fer2013/)");
  Deno.exit(2);
}

const args = Deno.args.join(" ");
const run = startRecord(`deno task bench photos${args ? " " + args : ""}`);
const truth = await readFaceTruth(values.truth);
const dir = samplePhotosDir();
const photos: RgbImage[] = [];
for (const t of truth) {
  const img = await readPhoto(join(dir, t.file));
  if (img.width !== t.width || img.height !== t.height) {
    throw new Error(
      `${values.truth}: ${t.file} is ${t.width}x${t.height} there but decodes upright to ` +
        `${img.width}x${img.height}`,
    );
  }
  photos.push(img);
}
const { backend } = await selectBackend(values.backend as "wasm", { quiet: true });
const fm = await loadModel(modelDir(values.model));

/** Each box's second-look score, and the ms of those from --min-score (the boxes the detector looks at again). */
async function looksOf(img: RgbImage, bs: FaceBox[]) {
  const strong = bs.filter((b) => b.score >= minScore), weak = bs.filter((b) => b.score < minScore);
  const t0 = performance.now();
  const s = await secondLook(blazeModel, img, strong);
  const ms = performance.now() - t0;
  const w = await secondLook(blazeModel, img, weak);
  return { looks: bs.map((b) => b.score >= minScore ? s[strong.indexOf(b)] : w[weak.indexOf(b)]), ms };
}

/**
 * One detector over every photo: its boxes (after one untimed warm-up photo) and ms per photo; with `looks`, each
 * box's second-look score too, and the ms per photo of the second look as the detector runs it.
 */
async function detectAll(detector: FaceDetector, label: string, withLooks = false) {
  await detector.detect(photos[0]);
  const progress = new Progress({ label, total: photos.length, unit: "photo" });
  const boxes: FaceBox[][] = [], looks: number[][] = [];
  let ms = 0, lookMs = 0;
  for (const p of photos) {
    const t0 = performance.now();
    const bs = await detector.detect(p);
    ms += performance.now() - t0;
    boxes.push(bs);
    if (withLooks) {
      const l = await looksOf(p, bs);
      looks.push(l.looks);
      lookMs += l.ms;
    }
    progress.tick(1);
  }
  progress.done();
  const perPhoto = (x: number) => Math.round(x / photos.length);
  return { name: detector.name, boxes, looks, msPerPhoto: perPhoto(ms), secondLookMsPerPhoto: perPhoto(lookMs) };
}

/** Faces found (all and frontal) and false boxes of `boxes` (per photo) against the truth. */
function score(boxes: FaceBox[][]) {
  let found = 0, frontalFound = 0, falseBoxes = 0;
  const perPhoto = truth.map((t: TruthPhoto, i) => {
    const m = matchFaces(t.faces, boxes[i], minIou);
    found += m.matches.length;
    frontalFound += m.matches.filter((x) => t.faces[x.face].frontal).length;
    falseBoxes += m.falseBoxes.length;
    return { file: t.file, ...m };
  });
  return { found, frontalFound, falseBoxes, perPhoto };
}

const faces = truth.reduce((n, t) => n + t.faces.length, 0);
const frontal = truth.reduce((n, t) => n + t.faces.filter((f) => f.frontal).length, 0);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const boxOut = (b: FaceBox) => ({
  x: Math.round(b.x),
  y: Math.round(b.y),
  side: Math.round(b.width),
  score: round(b.score),
});

// BlazeFace from --floor without the second look: every box with its score and its second-look score, and what each
// pair of thresholds keeps (a threshold over boxes kept at a lower one equals running at that threshold: greedy
// suppression lets only higher scores remove a box; the second look then judges each kept box on its own).
const blazeModel = await loadDetectorModel();
const blaze = await detectAll(blazeFace(blazeModel, { minScore: floor, secondLook: 0 }), "BlazeFace", true);
const keep = (bs: FaceBox[][], looks: number[][], s: number, l: number) =>
  bs.map((b, i) => b.filter((x, j) => x.score >= s && looks[i][j] >= l));
const atFloor = score(blaze.boxes);
const boxes = truth.flatMap((t, i) =>
  blaze.boxes[i].map((b, j) => {
    const best = Math.max(0, ...t.faces.map((f) => matchFaces([f], [b], 0).matches[0]?.iou ?? 0));
    const m = atFloor.perPhoto[i].matches.find((x) => x.box === j);
    return {
      file: t.file,
      ...boxOut(b),
      secondLook: round(blaze.looks[i][j]),
      sideOfPhoto: round(b.width / Math.min(t.width, t.height)),
      bestIou: round(best),
      face: m ? m.face : null,
    };
  })
);
const thresholds = [...new Set([floor, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9].filter((s) => s >= floor))]
  .sort((a, b) => a - b);
const lookThresholds = [...new Set([0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, minLook])].sort((a, b) => a - b);
/** What BlazeFace keeps from score `s` and second look `l` (`looks`: each box's second-look score). */
function rowAt(s: number, l: number, looks = blaze.looks) {
  const r = score(keep(blaze.boxes, looks, s, l));
  const most = Math.max(...r.perPhoto.map((p) => p.falseBoxes.length));
  return { minScore: s, secondLook: l, found: r.found, frontalFound: r.frontalFound, falseBoxes: r.falseBoxes, most };
}
const chosenRow = rowAt(minScore, minLook);
const byThreshold = thresholds.flatMap((s) => lookThresholds.map((l) => rowAt(s, l)));

/**
 * The generated scenes of tools/photo_scenes.ts (seed 1, FER2013 PublicTest faces), detection only: BlazeFace runs
 * once per scene from --floor, with each box's second look timed as the detector runs it (the boxes from
 * --min-score), and each pair of thresholds is measured on those boxes replayed.
 */
async function scenesByThreshold(n: number) {
  const ds = await loadDataset({ dataset: "fer2013", root: ferDir!, splits: ["PublicTest"] });
  const pictures = await Promise.all(ds.samples.map((s) => ds.load(s, { size: fm.config.inputSize })));
  const base = blazeFace(blazeModel, { minScore: floor, secondLook: 0 }),
    seen: FaceBox[][] = [],
    looks: number[][] = [];
  let lookMs = 0;
  const measure = async (s: number | null, l: number) => {
    let call = 0;
    const detector: FaceDetector = {
      name: `${base.name}, kept from ${s ?? floor}, second look ${l}`,
      async detect(img) {
        if (s !== null) return keep([seen[call]], [looks[call++]], s, l)[0];
        const bs = await base.detect(img), found = await looksOf(img, bs);
        seen.push(bs);
        looks.push(found.looks);
        lookMs += found.ms;
        return bs;
      },
      dispose() {},
    };
    const progress = s === null ? new Progress({ label: "scenes", total: n, unit: "scene" }) : undefined;
    const r = await measureScenes({
      faces: pictures,
      labels: ds.samples.map((x) => x.label),
      model: fm,
      detector,
      scenes: n,
      margins: [],
      seed: 1,
      progress,
    });
    progress?.done();
    return r;
  };
  const first = await measure(null, 0);
  const rows = [];
  for (const s of [...new Set([floor, 0.4, minScore])].filter((x) => x >= floor)) {
    for (const l of lookThresholds) {
      const r = s === floor && l === 0 ? first : await measure(s, l);
      rows.push({
        minScore: s,
        secondLook: l,
        found: r.found,
        falseBoxes: r.falseBoxes,
        most: r.maxFalseBoxes,
        missedSides: r.missedSides,
      });
    }
  }
  return {
    scenes: n,
    faces: first.faces,
    msPerScene: Math.round(first.msPerScene),
    secondLookMsPerScene: Math.round(lookMs / n),
    byThreshold: rows,
  };
}

/** The square `margin` makes around a box, cut from the photo (edge pixels repeated), and the box inside it. */
function cutOut(img: RgbImage, b: FaceBox, margin: number) {
  const w = squareWindow(b, margin), side = Math.max(1, Math.round(w.side)), x0 = Math.round(w.x), y0 = Math.round(w.y);
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const row = Math.min(img.height - 1, Math.max(0, y0 + y)) * img.width;
    for (let x = 0; x < side; x++) {
      const at = 3 * (row + Math.min(img.width - 1, Math.max(0, x0 + x)));
      data.set(img.data.subarray(at, at + 3), 3 * (y * side + x));
    }
  }
  return { crop: { width: side, height: side, data }, box: { ...b, x: b.x - x0, y: b.y - y0 } };
}

/**
 * face-api's detector as a second stage: each BlazeFace box from --min-score cut out as the second look sees it, scored
 * by the best box the peer finds there overlapping it (IoU ≥ 0.3; 0 when none), ms per crop, and what BlazeFace from
 * --min-score keeps when the peer's score must reach 0.5 (its own default).
 */
async function peerLooks(kind: "ssd" | "tiny") {
  const peer = await faceApiDetector(kind, { minScore: 0.05 });
  const looks: (number | null)[][] = [];
  let ms = 0, crops = 0;
  const progress = new Progress({ label: `face-api ${kind} on crops`, total: photos.length, unit: "photo" });
  for (const [i, p] of photos.entries()) {
    const row: (number | null)[] = [];
    for (const b of blaze.boxes[i]) {
      if (b.score < minScore) {
        row.push(null);
        continue;
      }
      const { crop, box } = cutOut(p, b, DETECTOR_DEFAULTS.lookMargin);
      const t0 = performance.now();
      const found = await peer.detect(crop);
      ms += performance.now() - t0;
      crops++;
      row.push(Math.max(0, ...found.filter((f) => iou(f, box) >= 0.3).map((f) => f.score)));
    }
    looks.push(row);
    progress.tick(1);
  }
  progress.done();
  peer.dispose();
  return {
    detector: peer.name,
    msPerCrop: Math.round(ms / crops),
    atMinScore: rowAt(minScore, 0.5, looks.map((l) => l.map((x) => x ?? 0))),
    looks: looks.map((l) => l.map((x) => x === null ? null : round(x))),
  };
}
const peers = values["peer-looks"] ? { ssd: await peerLooks("ssd"), tiny: await peerLooks("tiny") } : null;

const trueScores = boxes.filter((b) => b.face !== null).map((b) => b.score).sort((a, b) => a - b);
const falseScores = boxes.filter((b) => b.face === null).map((b) => b.score).sort((a, b) => a - b);

// Labels on the true faces: ours as fer predict gives them, human's on the same crops, face-api's on its own boxes.
const kept = keep(blaze.boxes, blaze.looks, minScore, minLook);
const chosen = score(kept);
const fa = await detectAll(await faceApiDetector("ssd", { minScore: 0.5 }), "face-api SSD");
const faScore = score(fa.boxes);
type Labelled = "ours" | "human" | "faceApi";
const rows:
  ({ file: string; face: number; frontal: boolean; oursP: number | null } & Record<Labelled, string | null>)[] = [];
let classifyMs = 0;
for (const [i, t] of truth.entries()) {
  const gray = toGray(photos[i]);
  const ours = chosen.perPhoto[i].matches, theirs = faScore.perPhoto[i].matches;
  const t0 = performance.now();
  const res = await detectAndClassify(photos[i], fm, {
    detector: { name: "boxes", detect: () => Promise.resolve(ours.map((m) => kept[i][m.box])), dispose() {} },
    modelName: values.model,
  });
  classifyMs += performance.now() - t0;
  const peer = async (name: PeerName, bs: FaceBox[], margin: number, size: number) =>
    bs.length ? (await peerPredict(name, bs.map((b) => faceCrop(gray, b, { margin, size })))).map((p) => p.label) : [];
  const human = await peer("human", ours.map((m) => kept[i][m.box]), CROP_MARGIN, 64);
  const faceApi = await peer("face-api", theirs.map((m) => fa.boxes[i][m.box]), 0, 112);
  for (const [k, f] of t.faces.entries()) {
    const o = ours.findIndex((m) => m.face === k), a = theirs.findIndex((m) => m.face === k);
    rows.push({
      file: t.file,
      face: k,
      frontal: f.frontal,
      ours: o >= 0 ? canonicalLabel(res.faces[o].label) ?? res.faces[o].label : null,
      oursP: o >= 0 ? round(res.faces[o].probabilities[res.faces[o].label]) : null,
      human: o >= 0 ? human[o] : null,
      faceApi: a >= 0 ? faceApi[a] : null,
    });
  }
}
const agree = (a: Labelled, b: Labelled) => {
  const both = rows.filter((r) => r[a] !== null && r[b] !== null);
  const same = both.filter((r) => r[a] === r[b]).length;
  return { faces: both.length, same, rate: both.length ? round(same / both.length) : null };
};
const body = {
  what: "detection → crop → expression on real photos: face-api@" + FACE_API_VERSION +
    "'s demo/sample1-6.jpg against hand-made boxes (" + values.truth + "); no expression truth, so agreement only",
  truth: values.truth,
  photos: truth.map((t) => ({ file: t.file, width: t.width, height: t.height, faces: t.faces.length })),
  faces,
  frontal,
  iou: minIou,
  backend,
  model: { name: values.model, dir: modelDir(values.model).replace(Deno.cwd() + "/", "") },
  blazeface: {
    detector: blaze.name,
    msPerPhoto: blaze.msPerPhoto,
    secondLookMsPerPhoto: blaze.secondLookMsPerPhoto,
    chosen: { ...chosenRow, msPerPhoto: blaze.msPerPhoto + blaze.secondLookMsPerPhoto },
    byThreshold,
    scores: { trueBoxes: trueScores, falseBoxes: falseScores },
    boxes,
  },
  ...(sceneCount > 0 ? { scenes: await scenesByThreshold(sceneCount) } : {}),
  ...(peers ? { peerSecondLooks: peers } : {}),
  faceApiSsd: {
    detector: fa.name,
    msPerPhoto: fa.msPerPhoto,
    found: faScore.found,
    frontalFound: faScore.frontalFound,
    falseBoxes: faScore.falseBoxes,
  },
  expressions: {
    minScore,
    cropMargin: CROP_MARGIN,
    crops: "ours and human's emotion model: the same square crops of BlazeFace's boxes (margin " + CROP_MARGIN +
      "), at 48 and 64 px; face-api's expression net: the square around its SSD box (margin 0) at 112 px",
    peers: { human: HUMAN_VERSION, "face-api": FACE_API_VERSION },
    msPerPhotoClassify: Math.round(classifyMs / photos.length),
    agreement: {
      oursVsHuman: agree("ours", "human"),
      oursVsFaceApi: agree("ours", "faceApi"),
      faceApiVsHuman: agree("faceApi", "human"),
    },
    faces: rows,
  },
};
const record = values.out ? await run.write(values.out, body) : body;
console.log(JSON.stringify(record, null, 1));
