/**
 * `fer predict`: the expression of every face in each picture. A photo goes through detection (BlazeFace from
 * @vladmandic/human's files), a square crop with the measured margin, grey and resize; a picture that already is
 * a face crop (square, at most twice the model's side) or `--no-detect` is classified whole.
 *
 * @example
 * ```sh
 * deno task fer predict group.jpg --json
 * deno task fer predict --model outputs/runs/<id>/model group.jpg --output annotated.png
 * deno task fer predict --no-detect face1.png face2.png
 * ```
 * @module
 */
import { type Command, flags, numberFlag, oneOf, RUNTIME_FLAGS } from "./command.ts";
import { runtimeOf } from "../backend/runtime.ts";
import { parseRuntime } from "../backend/runtime_flags.ts";
import { selectRuntime } from "../backend/select.ts";
import { readPhoto } from "../data/photo.ts";
import { TTAS } from "../engine/config.ts";
import { loadModel } from "../model/io.ts";
import { modelDir } from "../model/shipped.ts";
import { annotatePhoto } from "../photo/annotate.ts";
import { CROP_MARGIN, detectAndClassify, isFaceCrop } from "../photo/classify.ts";
import { DETECTOR_DEFAULTS } from "../photo/blazeface.ts";
import { loadDetector } from "../photo/load_detector.ts";

const USAGE = `usage: deno task fer predict [--model fer2013|DIR] IMG… [--json] [--output annotated.png]
  --model NAME|DIR   a shipped model (fer2013, the default: models/fer2013/) or a saved model folder
  --no-detect        classify each picture whole, without face detection (automatic for a square picture
                     of at most 96 px or twice the model's side: a face crop)
  --margin X         crop margin around a detected face (default ${CROP_MARGIN}, chosen on generated scenes)
  --min-score S      the detector's score threshold in 0..1 (default ${DETECTOR_DEFAULTS.minScore})
  --second-look S    the score in 0..1 a box must reach when the detector looks at it again, centred in a square
                     twice its side (default ${DETECTOR_DEFAULTS.secondLook}: 22 of 22 faces, 2 false boxes on the real
                     photos of results/photo/real-photos.json); 0 keeps every box of the first look
  --output FILE.png  the picture with boxes, labels and the F_m heat map (one picture only)
  --tta none|flip|tencrop   the views averaged per face (default: the model's own, fer-config.json's tta;
                     the shipped fer2013's is tencrop, the one its card's headline accuracy used)
  --json
  --backend auto|tensorflow|webgpu|wasm|cpu|torch (default wasm: the detector's fastest here)`;

/** A score flag's number in 0..1, or an error naming the flag. */
function unitFlag(v: string | undefined, flag: string): number | undefined {
  const n = numberFlag(v, flag, { min: 0 });
  if (n !== undefined && n > 1) throw new Error(`--${flag} must be a number in 0..1, got "${v}"`);
  return n;
}

/** `fer predict`. */
export const predictCommand: Command = {
  name: "predict",
  summary: "the expression of every face in pictures (detection → crop → model)",
  async run(args) {
    const f = flags(args, {
      ...RUNTIME_FLAGS,
      model: { type: "string" },
      tta: { type: "string" },
      margin: { type: "string" },
      "min-score": { type: "string" },
      "second-look": { type: "string" },
      "no-detect": { type: "boolean" },
      output: { type: "string" },
      json: { type: "boolean" },
    }, { help: USAGE, positionals: true });
    if (!f) return 0;
    const { values: v, positionals } = f;
    if (positionals.length === 0) {
      console.log(USAGE);
      return 2;
    }
    const ttaFlag = oneOf(v.tta, "tta", TTAS);
    const margin = numberFlag(v.margin, "margin", { min: 0 }) ?? CROP_MARGIN;
    if (margin > 2) throw new Error(`--margin must be a number in 0..2, got "${v.margin}"`);
    const minScore = unitFlag(v["min-score"], "min-score") ?? DETECTOR_DEFAULTS.minScore;
    const secondLook = unitFlag(v["second-look"], "second-look") ?? DETECTOR_DEFAULTS.secondLook;
    // wasm by default: the detector's fastest backend here (BlazeFace ~150 ms a window against 500–1000 on torch)
    const runtime = runtimeOf(parseRuntime(v), { backend: "wasm" });
    if (v.output && positionals.length !== 1) {
      throw new Error(`--output draws one picture; ${positionals.length} given`);
    }
    if (v.output && !v.output.toLowerCase().endsWith(".png")) {
      throw new Error(`--output must name a .png file, got ${v.output}`);
    }
    const photos = [];
    for (const path of positionals) photos.push(await readPhoto(path));
    await selectRuntime(runtime, { quiet: v.json });
    const modelName = v.model ?? "fer2013";
    if (!v.model) {
      console.error("fer predict: no --model given: the shipped model fer2013 (models/fer2013/MODEL_CARD.md)");
    }
    const fm = await loadModel(modelDir(modelName));
    const tta = ttaFlag ?? fm.tta ?? "none";
    const needDetector = !v["no-detect"] && photos.some((p) => !isFaceCrop(p, fm.config.inputSize));
    const detector = needDetector ? await loadDetector({ minScore, secondLook }) : null;
    const rows = [];
    for (const [i, photo] of photos.entries()) {
      const detect = detector && !isFaceCrop(photo, fm.config.inputSize) ? detector : null;
      const res = await detectAndClassify(photo, fm, {
        detector: detect,
        margin,
        modelName,
        heatmap: !!v.output,
        tta,
      });
      if (v.output) {
        await Deno.writeFile(v.output, await annotatePhoto(photo, res.faces, { margin: detect ? margin : 0 }));
      }
      const faces = res.faces.map(({ heatmap: _, ...f }) => f);
      rows.push({
        path: positionals[i],
        width: photo.width,
        height: photo.height,
        detected: !!detect,
        tta,
        faces,
        ...(res.reason ? { reason: res.reason } : {}),
      });
    }
    if (v.json) console.log(JSON.stringify(rows));
    else {
      for (const r of rows) {
        if (r.faces.length === 0) console.log(`${r.path}: ${r.reason}`);
        for (const f of r.faces) {
          const b = f.box,
            at = r.detected
              ? ` at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`
              : "";
          console.log(`${r.path}${at}: ${f.label} (${(f.probabilities[f.label] * 100).toFixed(1)}%)`);
        }
      }
    }
    return 0;
  },
};
