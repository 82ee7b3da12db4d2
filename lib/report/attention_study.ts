/**
 * Figure 6 made measurable: a model's attention maps F_m on synthetic faces it never saw, scored
 * against each face's expression mask (per class and overall, beside the uniform and centred
 * references) and drawn as heatmaps over the faces.
 *
 * @example
 * ```ts
 * const run = await findAttentionRun("outputs/runs");
 * const fm = run ? await loadModel(`${run.dir}/model`) : buildModel(preset("cpu-tiny"));
 * const study = await attentionStudy(fm, { n: 70 });
 * study.byClass.happy.meanRatio;
 * ```
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type { GrayImage } from "../data/image.ts";
import { inputTensors, lbpFor, packInputs } from "../engine/inputs.ts";
import {
  type AttentionSummary,
  baselineScores,
  summarizeByClass,
  summarizeScores,
} from "../experiment/attention_score.ts";
import { attentionProbe } from "../experiment/attention_probe.ts";
import type { FerModel } from "../model/build.ts";
import { type Figure, imageGrid } from "../viz/mod.ts";
import { readRuns } from "./runs.ts";

/** A finished run whose saved model can give F_m. */
export interface AttentionRun {
  id: string;
  dir: string;
  fast: boolean;
  /** The dataset it was trained on (`root` as recorded: a folder, or `synthetic:<seed>`). */
  dataset: { name: string; root: string };
}

/**
 * The newest finished split run on one of `datasets` (default: the synthetic set) with a saved `model/`
 * folder; null when none.
 *
 * @example
 * ```ts
 * const real = await findAttentionRun("outputs/runs", { datasets: ["fer2013", "ckplus"] });
 * ```
 */
export async function findAttentionRun(
  runsDir = "outputs/runs",
  opts: { datasets?: string[] } = {},
): Promise<AttentionRun | null> {
  const datasets = opts.datasets ?? ["synthetic"];
  const runs = (await readRuns(runsDir)).filter((r) =>
    datasets.includes(r.record.dataset?.name ?? "") && r.record.status === "done" && r.record.protocol.kind === "split"
  );
  for (const r of runs.reverse()) {
    try {
      await Deno.stat(join(r.dir, "model"));
      const { name, root } = r.record.dataset!;
      return {
        id: r.record.id,
        dir: r.dir,
        fast: r.record.experiment?.fast === true,
        dataset: { name, root: root ?? "" },
      };
    } catch { /* no saved model: keep looking */ }
  }
  return null;
}

const FM_COLORBAR = "F_m, mean over channels (one scale for all faces)";

/** The model's inputs for `images` (each `inputSize`² pixels): raw pixels / 255, and the scaled LBP codes. */
function fmInputs(fm: FerModel, images: GrayImage[]): tf.Tensor4D[] {
  return inputTensors(
    packInputs(images, { size: fm.config.inputSize, lbp: lbpFor(fm.config), names: (i) => `face ${i}` }),
  );
}

/** A face to draw with its attention map. */
export interface LabelledFace {
  label: string;
  image: GrayImage;
}

/**
 * Figure 6: each face (top row) above the same face under its F_m heatmap (bottom row): the channel mean of
 * F_m, upsampled to the face, on one colour scale shared by all faces, with a colour bar.
 *
 * @example
 * ```ts
 * const fig = await attentionFigure(fm, [{ label: "angry", image: angryFace }, { label: "happy", image: happyFace }], {
 *   title: "Figure 6",
 * });
 * ```
 */
export async function attentionFigure(fm: FerModel, faces: LabelledFace[], opts: { title: string }): Promise<Figure> {
  if (!fm.attention) throw new Error("the model has no attention module (config attention: false): no F_m to draw");
  if (faces.length === 0) throw new Error("attentionFigure: no faces given");
  const images = faces.map((f) => f.image);
  const inputs = fmInputs(fm, images);
  const out = fm.attention.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor4D;
  inputs.forEach((t) => t.dispose());
  const channelMean = tf.tidy(() => tf.mean(out, 3));
  out.dispose();
  const data = await channelMean.data() as Float32Array;
  const [n, h, w] = channelMean.shape;
  channelMean.dispose();
  const maps = Array.from(
    { length: n },
    (_, i) => ({ width: w, height: h, data: data.slice(i * h * w, (i + 1) * h * w) }),
  );
  return imageGrid({
    images: [...images, ...images],
    labels: [...faces.map((f) => f.label), ...faces.map(() => "F_m")],
    overlay: { maps: [...faces.map(() => null), ...maps], alpha: 0.5, range: "shared", colorbar: FM_COLORBAR },
    columns: faces.length,
    scale: 3,
    title: opts.title,
  });
}

/** The study's numbers and figure. */
export interface AttentionStudy {
  n: number;
  overall: AttentionSummary;
  byClass: Record<string, AttentionSummary>;
  references: Record<"uniform" | "centre", AttentionSummary>;
  /** One face per class with its F_m heatmap (Figure 6). */
  figure: Figure;
}

/** Options of {@link attentionStudy}. */
export interface AttentionStudyOptions {
  /** Number of synthetic faces scored. */
  n: number;
  /** Seed of the synthetic set (default 1001: identities a model trained on seed 1 never saw). */
  seed?: number;
  title?: string;
}

/** Scores a model's F_m on `n` synthetic faces against their masks; the LBP input is scaled codes. */
export async function attentionStudy(fm: FerModel, opts: AttentionStudyOptions): Promise<AttentionStudy> {
  if (!fm.attention) throw new Error("the model has no attention module (config attention: false): nothing to score");
  const probe = await attentionProbe(fm.config.inputSize, opts);
  const { images, masks, labels } = probe, n = images.length;
  const { scores, maps } = await probe.run(fm);
  const firstOf = [...new Set(labels)].map((c) => labels.indexOf(c));
  const figure = imageGrid({
    images: firstOf.map((i) => images[i]),
    labels: firstOf.map((i) => `${labels[i]} ×${scores[i].ratio.toFixed(2)}`),
    overlay: { maps: firstOf.map((i) => maps[i]), range: "shared", colorbar: FM_COLORBAR },
    columns: firstOf.length,
    scale: 3,
    title: opts.title ?? "F_m over synthetic faces (label: attention ratio vs uniform)",
  });
  return {
    n,
    overall: summarizeScores(scores),
    byClass: summarizeByClass(scores, labels),
    references: baselineScores(masks),
    figure,
  };
}
