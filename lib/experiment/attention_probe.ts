/**
 * A fixed set of unseen synthetic faces with their expression masks, rendered once, that scores any model's
 * attention map F_m (chapter 08's score, lib/experiment/attention_score.ts: mass inside the mask ÷ the mask's area,
 * 1 = no better than a uniform map). Cheap enough to score a model after every epoch: one forward pass.
 *
 * @example
 * ```ts
 * const probe = await attentionProbe(48, { n: 140 });
 * const { scores } = await probe.run(fm);
 * summarizeScores(scores).meanRatio; // e.g. 1.02
 * ```
 * @module
 */
import { syntheticDataset } from "../data/synthetic.ts";
import type { GrayImage } from "../data/image.ts";
import { inputTensors, lbpFor, packInputs } from "../engine/inputs.ts";
import { type AttentionBatch, attentionOnBatch } from "./attention_eval.ts";
import type { FerModel } from "../model/build.ts";

/** Seed of the probe's synthetic set: identities a model trained on the demo's seed-1 faces never saw. */
export const PROBE_SEED = 1001;

/** Faces with masks, and the scoring of a model's F_m on them. */
export interface AttentionProbe {
  /** Side of the faces; only models of this input size can be scored. */
  size: number;
  seed: number;
  images: GrayImage[];
  masks: GrayImage[];
  /** Class name of each face. */
  labels: string[];
  /** F_m of `fm` on every face, scored against its mask, with the channel-mean maps. */
  run(fm: FerModel): Promise<AttentionBatch>;
}

/** Renders `n` synthetic faces (seed default {@link PROBE_SEED}; `clutter` distractors each, as the faces the
 * model learnt from) at `size` px with their masks. */
export async function attentionProbe(
  size: number,
  opts: { n: number; seed?: number; clutter?: number },
): Promise<AttentionProbe> {
  const seed = opts.seed ?? PROBE_SEED;
  const ds = syntheticDataset({ n: opts.n, size, seed, clutter: opts.clutter });
  const images = await Promise.all(ds.samples.map((s) => ds.load(s)));
  const masks = await Promise.all(ds.samples.map((s) => ds.loadMask!(s)));
  const packed = new Map<string, ReturnType<typeof packInputs>>(); // per LBP method
  return {
    size,
    seed,
    images,
    masks,
    labels: ds.samples.map((s) => ds.classes[s.label]),
    async run(fm) {
      if (!fm.attention) {
        throw new Error("the model has no attention module (config attention: false): nothing to score");
      }
      if (fm.config.inputSize !== size) {
        throw new Error(`the probe's faces are ${size} px, the model takes ${fm.config.inputSize}`);
      }
      let p = packed.get(fm.config.lbp);
      if (!p) {
        p = packInputs(images, { size, lbp: lbpFor(fm.config), names: (i) => `probe face ${i}` });
        packed.set(fm.config.lbp, p);
      }
      const inputs = inputTensors(p);
      try {
        return await attentionOnBatch(fm.attention, inputs, masks);
      } finally {
        inputs.forEach((t) => t.dispose());
      }
    },
  };
}
