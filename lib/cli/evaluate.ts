/**
 * `fer evaluate`: a saved model on one split of a dataset: accuracy, macro-F1, per-class precision, recall
 * and F1, and the confusion matrix.
 *
 * @example
 * ```sh
 * deno task fer evaluate --model outputs/runs/<id>/model --dataset fer2013 --root ../shared/datasets/fer2013 --split PublicTest --json
 * ```
 * @module
 */
import { type Command, DATA_FLAGS, flags, oneOf, required, RUNTIME_FLAGS } from "./command.ts";
import { runtimeOf } from "../backend/runtime.ts";
import { parseRuntime } from "../backend/runtime_flags.ts";
import { selectRuntime } from "../backend/select.ts";
import type { DatasetKind } from "../data/kinds.ts";
import { loadDataset } from "../data/load.ts";
import { pickSplit } from "../data/routing.ts";
import { TTAS } from "../engine/config.ts";
import { lbpFor } from "../engine/inputs.ts";
import { ImageCache } from "../engine/pipeline.ts";
import { evaluate } from "../engine/predict.ts";
import { datasetOptions } from "../experiment/spec.ts";
import { loadModel } from "../model/io.ts";
import { modelDir } from "../model/shipped.ts";
import { datasetFlagsSpec } from "./spec_flags.ts";

const HELP =
  "usage: deno task fer evaluate --model fer2013|DIR --dataset KIND --root DIR --split NAME [--tta none|flip|tencrop] " +
  "[--json]\n  --tta   the views averaged per face (default: the model's own, fer-config.json's tta)";

/** `fer evaluate`. */
export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "evaluate a saved model on a dataset split (accuracy, per-class P/R/F1, confusion)",
  async run(args) {
    const f = flags(args, {
      ...DATA_FLAGS,
      ...RUNTIME_FLAGS,
      model: { type: "string" },
      split: { type: "string", default: "all" },
      tta: { type: "string" },
      json: { type: "boolean" },
    }, { help: HELP });
    if (!f) return 0;
    const v = f.values;
    const ttaFlag = oneOf(v.tta, "tta", TTAS);
    const runtime = runtimeOf(parseRuntime(v));
    if (/privatetest/i.test(v.split!)) {
      console.error("note: PrivateTest is the final test split; report it, never select on it");
    }
    await selectRuntime(runtime, { quiet: v.json });
    const fm = await loadModel(modelDir(required(v, "model")));
    const tta = ttaFlag ?? fm.tta ?? "none";
    const ds = await loadDataset(
      datasetOptions({ ...datasetFlagsSpec(v), dataset: required(v, "dataset") as DatasetKind }),
    );
    const idx = pickSplit(ds, v.split!);
    const labels = fm.labels ?? ds.classes;
    if (labels.join(",") !== ds.classes.join(",")) {
      throw new Error(`model classes [${labels}] differ from ${ds.name}'s [${ds.classes}]`);
    }
    const rep = await evaluate({
      model: fm,
      cache: new ImageCache(ds, fm.config.inputSize),
      indices: idx,
      lbp: lbpFor(fm.config),
      tta,
      split: v.split!,
    });
    const out = {
      accuracy: rep.accuracy,
      macro_f1: rep.macroF1,
      per_class: rep.perClass,
      confusion: rep.confusion,
      labels: rep.labels,
      split: rep.split,
      n: idx.length,
      tta,
    };
    if (v.json) console.log(JSON.stringify(out));
    else {
      console.log(
        `${ds.name} ${v.split}: accuracy ${(rep.accuracy * 100).toFixed(2)}%, macro-F1 ${
          rep.macroF1.toFixed(4)
        } (n=${idx.length}, tta ${tta})`,
      );
      for (const [l, m] of Object.entries(rep.perClass)) {
        console.log(
          `  ${l.padEnd(10)} P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} n ${m.support}`,
        );
      }
    }
    return 0;
  },
};
