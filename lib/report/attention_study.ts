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
import { syntheticDataset } from "../data/synthetic.ts";
import { inputTensors, lbpFor, packInputs } from "../engine/inputs.ts";
import type { FerModel } from "../model/build.ts";
import { type Figure, imageGrid } from "../viz/mod.ts";
import { type AttentionSummary, baselineScores, summarizeByClass, summarizeScores } from "./attention_score.ts";
import { attentionOnBatch } from "./attention_eval.ts";
import { readRuns } from "./runs.ts";

/** A finished run whose saved model can give F_m. */
export interface AttentionRun {
  id: string;
  dir: string;
  fast: boolean;
}

/** The newest finished split run on the synthetic set with a saved `model/` folder; null when none. */
export async function findAttentionRun(runsDir = "outputs/runs"): Promise<AttentionRun | null> {
  const runs = (await readRuns(runsDir)).filter((r) =>
    r.record.dataset?.name === "synthetic" && r.record.status === "done" && r.record.protocol.kind === "split"
  );
  for (const r of runs.reverse()) {
    try {
      await Deno.stat(join(r.dir, "model"));
      return { id: r.record.id, dir: r.dir, fast: r.record.experiment?.fast === true };
    } catch { /* no saved model: keep looking */ }
  }
  return null;
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
  const size = fm.config.inputSize;
  const ds = syntheticDataset({ n: opts.n, size, seed: opts.seed ?? 1001 });
  const images = await Promise.all(ds.samples.map((s) => ds.load(s)));
  const masks = await Promise.all(ds.samples.map((s) => ds.loadMask!(s)));
  const n = images.length;
  const inputs = inputTensors(packInputs(images, { size, lbp: lbpFor(fm.config) }));
  const { scores, maps } = await attentionOnBatch(fm.attention, inputs, masks);
  inputs.forEach((t) => t.dispose());
  const labels = ds.samples.map((s) => ds.classes[s.label]);
  const firstOf = ds.classes.map((c) => labels.indexOf(c)).filter((i) => i >= 0);
  const figure = imageGrid({
    images: firstOf.map((i) => images[i]),
    labels: firstOf.map((i) => `${labels[i]} ×${scores[i].ratio.toFixed(2)}`),
    overlay: { maps: firstOf.map((i) => maps[i]) },
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
