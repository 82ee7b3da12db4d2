/**
 * `fer predict`: the label and class probabilities of image files, by a saved model.
 *
 * @example
 * ```sh
 * deno task fer predict --model outputs/runs/<id>/model face1.png face2.png --json
 * ```
 * @module
 */
import { type Command, flags, oneOf, required, RUNTIME_FLAGS } from "./command.ts";
import { parseRuntime, runtimeOf } from "../backend/runtime.ts";
import { selectRuntime } from "../backend/select.ts";
import { decodeImage } from "../data/image.ts";
import { TTAS } from "../engine/config.ts";
import { lbpFor } from "../engine/inputs.ts";
import { predictImages } from "../engine/predict.ts";
import { loadModel } from "../model/io.ts";

const HELP = "usage: deno task fer predict --model DIR IMG… [--tta flip] [--json]";

/** `fer predict`. */
export const predictCommand: Command = {
  name: "predict",
  summary: "label and class probabilities of image files with a saved model",
  async run(args) {
    const f = flags(args, {
      ...RUNTIME_FLAGS,
      model: { type: "string" },
      tta: { type: "string", default: "none" },
      json: { type: "boolean" },
    }, { help: HELP, positionals: true });
    if (!f) return 0;
    const { values: v, positionals } = f;
    if (positionals.length === 0) {
      console.log(HELP);
      return 2;
    }
    const tta = oneOf(v.tta, "tta", TTAS)!;
    await selectRuntime(runtimeOf(parseRuntime(v)), { quiet: v.json });
    const fm = await loadModel(required(v, "model"));
    const labels = fm.labels ?? Array.from({ length: fm.config.numClasses }, (_, i) => `class${i}`);
    const imgs = await Promise.all(positionals.map((p) => decodeImage(p, { size: fm.config.inputSize })));
    const probs = await predictImages(fm, imgs, { lbp: lbpFor(fm.config), tta });
    const k = labels.length;
    const rows = positionals.map((path, i) => {
      const p = Array.from(probs.subarray(i * k, (i + 1) * k));
      const best = p.indexOf(Math.max(...p));
      return { path, label: labels[best], probabilities: Object.fromEntries(labels.map((l, c) => [l, p[c]])) };
    });
    if (v.json) console.log(JSON.stringify(rows));
    else for (const r of rows) console.log(`${r.path}: ${r.label} (${(r.probabilities[r.label] * 100).toFixed(1)}%)`);
    return 0;
  },
};
