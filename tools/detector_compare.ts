/**
 * The detector choice, measured: BlazeFace (lib/photo, from @vladmandic/human's files) against face-api's
 * TinyFaceDetector and SSD MobileNet v1 (from @vladmandic/face-api's files) on the same generated scenes (FER2013
 * PublicTest faces, or the synthetic ones without datasets): faces found, false boxes, ms per photo. All run on
 * tfjs 4.22's CPU kernels (face-api's bundled copy cannot start WASM under Deno), so the times compare. Written to
 * results/photo/detectors-<faces>.json with the machine and its load.
 *
 * @example
 * ```sh
 * deno run -A tools/detector_compare.ts --scenes 12
 * ```
 * @module
 */
import { join } from "node:path";
import { selectBackend } from "../lib/backend/mod.ts";
import { datasetDir, FER2013_EMOTIONS, loadDataset } from "../lib/data/mod.ts";
import { machineInfo } from "../lib/experiment/mod.ts";
import { buildModel, preset } from "../lib/model/mod.ts";
import { type FaceDetector, loadDetector, measureScenes } from "../lib/photo/mod.ts";
import { Progress } from "../lib/util/mod.ts";
import { scriptArgs } from "./args.ts";
import { faceApiDetector } from "./face_api_detectors.ts";

const { values: v } = scriptArgs(Deno.args, {
  command: "deno run -A tools/detector_compare.ts",
  summary: "BlazeFace against face-api's TinyFaceDetector and SSD MobileNet v1 on the same generated scenes, " +
    "written to OUT/detectors-<faces>.json.",
  options: {
    scenes: { type: "number", default: 12, min: 1, integer: true, help: "generated scenes per detector" },
    out: { type: "string", default: "results/photo", help: "the folder of the record" },
  },
});
const scenes = v.scenes;
await selectBackend("cpu", { quiet: true });
const machine = machineInfo({ threads: null });
const dir = datasetDir("fer2013");
const ds = dir
  ? await loadDataset({ dataset: "fer2013", root: dir, splits: ["PublicTest"] })
  : await loadDataset({ dataset: "synthetic", n: 700 });
const faces = await Promise.all(ds.samples.map((s) => ds.load(s, { size: 48 })));
const labels = ds.samples.map((s) => s.label);
// Detection only (no margins): the model is not run, any will do.
const model = { ...buildModel(preset("cpu-tiny")), labels: [...FER2013_EMOTIONS] };
const candidates: [string, () => Promise<FaceDetector>][] = [
  ["blazeface", () => loadDetector()],
  ["face-api tiny 416", () => faceApiDetector("tiny", { inputSize: 416, minScore: 0.5 })],
  ["face-api tiny 608", () => faceApiDetector("tiny", { inputSize: 608, minScore: 0.5 })],
  ["face-api ssd", () => faceApiDetector("ssd", { minScore: 0.5 })],
];
const results = [];
for (const [name, make] of candidates) {
  const detector = await make();
  const progress = new Progress({ label: name, total: scenes, unit: "scene" });
  const rep = await measureScenes({ faces, labels, model, detector, scenes, margins: [], seed: 1, progress });
  progress.done();
  detector.dispose();
  results.push(rep);
  console.log(
    `${name}: found ${rep.found}/${rep.faces}, ${rep.falseBoxes} false boxes, ${
      rep.msPerScene.toFixed(0)
    } ms per photo`,
  );
}
const record = {
  what: "face detectors on the same generated scenes (tools/detector_compare.ts, lib/photo/measure.ts)",
  createdAt: new Date().toISOString(),
  faces: dir ? "FER2013 PublicTest, pasted at 48–300 px into 640–1024 px scenes, 0–4 per scene" : "synthetic",
  backend: "tfjs 4.22 CPU kernels for all (ours and face-api's bundled copy)",
  machine: { ...machine, loadEnd: Deno.loadavg()[0], note: "shared CPU: other work ran beside this measurement" },
  results,
};
await Deno.mkdir(v.out, { recursive: true });
const path = join(v.out, `detectors-${dir ? "fer2013" : "synthetic"}.json`);
await Deno.writeTextFile(path, JSON.stringify(record, null, 2) + "\n");
console.log(path);
