/**
 * Runs a model's attention branch (the layers model that outputs F_m) on a batch and scores each map
 * against its expression mask; also returns the channel-mean maps for heatmaps (Figure 6).
 *
 * @example
 * ```ts
 * const fm = buildModel(preset("cpu-small"));
 * const { scores, maps } = await attentionOnBatch(fm.attention!, [raw, lbp], masks);
 * imageGrid({ images, overlay: { maps } });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { FloatMap, GrayImage } from "../data/image.ts";
import { type AttentionScore, meanOverChannels, scoreFmBatch } from "./attention_score.ts";

/** Scores and channel-mean F_m maps of one batch. */
export interface AttentionBatch {
  scores: AttentionScore[];
  maps: FloatMap[];
}

/** Predicts F_m for `inputs` ([raw] or [raw, lbp], each [n, S, S, 1]) and scores it against `masks`. */
export async function attentionOnBatch(
  attention: LayersModel,
  inputs: tf.Tensor[],
  masks: GrayImage[],
): Promise<AttentionBatch> {
  const out = attention.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor;
  if (out.rank !== 4) {
    out.dispose();
    throw new Error(`attention model must output F_m as [n, h, w, c], got rank ${out.rank}`);
  }
  const data = await out.data() as Float32Array;
  const [n, h, w, c] = out.shape;
  out.dispose();
  const scores = scoreFmBatch({ data, shape: [n, h, w, c] }, masks);
  const per = h * w * c;
  const maps = Array.from({ length: n }, (_, i) => meanOverChannels(data.subarray(i * per, (i + 1) * per), w, h, c));
  return { scores, maps };
}
