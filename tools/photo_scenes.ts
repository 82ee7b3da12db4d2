/**
 * The scene measurement of detection → crop → expression (lib/photo/measure.ts), recorded under results/photo/:
 * FER2013 PublicTest faces (or, with no datasets, the synthetic faces) pasted into generated scenes; detector
 * variants compared on the same scenes (faces found, false boxes, ms per scene), then the chosen one's accuracy
 * through detection at each crop margin against the same faces classified directly. The record names the
 * machine and its load, since this CPU is shared.
 *
 * @example
 * ```sh
 * deno run -A tools/photo_scenes.ts --model outputs/runs/<id>/model --scenes 200 --backend wasm
 * ```
 * @module
 */
import { basename, join } from "node:path";
import { selectBackend } from "../lib/backend/mod.ts";
import { datasetDir, loadDataset } from "../lib/data/mod.ts";
import { machineInfo } from "../lib/experiment/mod.ts";
import { loadModel } from "../lib/model/mod.ts";
import { CROP_MARGIN, DETECTOR_DEFAULTS, loadDetector, measureScenes, type SceneReport } from "../lib/photo/mod.ts";
import { Progress } from "../lib/util/mod.ts";
import { scriptArgs, usageError } from "./args.ts";

const command = "deno run -A tools/photo_scenes.ts";
const { values: v } = scriptArgs(Deno.args, {
  command,
  summary: "Detection → crop → expression on generated scenes of FER2013 PublicTest faces (else the synthetic " +
    "ones): detector variants, then accuracy at each crop margin, recorded under OUT.",
  options: {
    model: { type: "string", help: "the saved model folder (required)" },
    scenes: {
      type: "number",
      default: 200,
      min: 1,
      integer: true,
      help: "scenes of the chosen detector's margin measurement",
    },
    "variant-scenes": { type: "number", default: 60, min: 1, integer: true, help: "scenes per detector variant" },
    margins: {
      type: "string",
      default: "0,0.1,0.2,0.3,0.4,0.5,0.6,0.8",
      help: "the crop margins the chosen detector's faces are classified at, comma-separated",
    },
    backend: { type: "string", default: "wasm", help: "the tfjs backend" },
    out: { type: "string", default: "results/photo", help: "the folder of the record" },
    seed: { type: "number", default: 1, integer: true, help: "the scenes' seed" },
  },
});
if (!v.model) usageError(command, "missing --model DIR (a saved model folder)");
const scenes = v.scenes, variantScenes = v["variant-scenes"], seed = v.seed;
const margins = v.margins.split(",").map(Number);
if (margins.some((m) => !(m >= 0 && m <= 2))) {
  usageError(command, `--margins wants numbers in 0..2, got "${v.margins}"`);
}
const { backend } = await selectBackend(v.backend as "wasm", { quiet: true });
const fm = await loadModel(v.model);
const labels = fm.labels ?? [];
const dir = datasetDir("fer2013");
const ds = dir
  ? await loadDataset({ dataset: "fer2013", root: dir, splits: ["PublicTest"] })
  : await loadDataset({ dataset: "synthetic", n: 700 });
const faces = await Promise.all(ds.samples.map((s) => ds.load(s, { size: fm.config.inputSize })));
const faceLabels = ds.samples.map((s) => {
  const i = labels.indexOf(ds.classes[s.label]);
  if (i < 0) {
    throw new Error(`${v.model}: the model's labels [${labels}] lack the dataset's class ${ds.classes[s.label]}`);
  }
  return i;
});
const machine = machineInfo({ threads: null });
const measure = async (label: string, n: number, margins: number[], opts: Parameters<typeof loadDetector>[0]) => {
  const detector = await loadDetector(opts);
  const progress = new Progress({ label, total: n, unit: "scene" });
  const rep = await measureScenes({
    faces,
    labels: faceLabels,
    model: fm,
    detector,
    scenes: n,
    margins,
    seed,
    progress,
  });
  progress.done();
  detector.dispose();
  return { options: { ...DETECTOR_DEFAULTS, ...opts }, ...rep };
};
const variants: (SceneReport & { options: object })[] = [];
for (const opts of [{ tile: 1e9 }, { tile: 384 }, {}, { secondLook: 0 }, { minScore: 0.3 }, { minScore: 0.75 }]) {
  variants.push(await measure(`detector ${JSON.stringify(opts)}`, variantScenes, [], opts));
}
const chosen = await measure("chosen detector, margins", scenes, margins, {});
const record = {
  what: "detection → crop → expression on generated scenes (tools/photo_scenes.ts, lib/photo/measure.ts)",
  createdAt: new Date().toISOString(),
  faces: dir
    ? "FER2013 PublicTest (all faces), pasted at 48–300 px into 640–1024 px scenes, 0–4 per scene"
    : "synthetic",
  model: { dir: basename(v.model), config: fm.config },
  backend,
  machine: { ...machine, loadEnd: Deno.loadavg()[0], note: "shared CPU: other work ran beside this measurement" },
  targets: { detectionRate: 0.9, falseBoxesPerScene: 1, accuracyGapPoints: 3 },
  cropMarginInCode: CROP_MARGIN,
  chosen,
  variants,
};
await Deno.mkdir(v.out, { recursive: true });
const path = join(v.out, `scenes-${dir ? "fer2013" : "synthetic"}.json`);
await Deno.writeTextFile(path, JSON.stringify(record, null, 2) + "\n");
const best = chosen.byMargin.find((m) => m.margin === chosen.bestMargin)!;
console.log(
  `${path}: found ${(chosen.detectionRate * 100).toFixed(1)}%, ${
    chosen.falseBoxesPerScene.toFixed(2)
  } false boxes/scene, ` +
    `accuracy ${(best.accuracy * 100).toFixed(1)}% at margin ${best.margin} vs ${
      (chosen.directAccuracyFound! * 100).toFixed(1)
    }% direct`,
);
