/**
 * Named configurations: one per row of the paper's ablation Tables 1–3 (at the paper's 256×256,
 * full VGG widths), the full "paper" network, and small CPU-sized variants.
 *
 * Rows of Tables 2 and 3 use circle LBP: the paper picks it after Table 1. So "table1-circle-lbp",
 * "table2-complete", "table3-E" and "paper" are the same network.
 *
 * @example
 * ```ts
 * const cfg = preset("table2-no-attention", { inputSize: 48, width: 0.25 });
 * ```
 * @module
 */
import { defaultConfig, type ModelConfig, withOverrides } from "./config.ts";

const paper = defaultConfig({ inputSize: 256 });
const row = (o: Partial<ModelConfig>): ModelConfig => withOverrides(paper, o);

/** Every named configuration. */
export const PRESETS: Record<string, ModelConfig> = {
  "paper": row({}),
  "table1-original-lbp": row({ lbp: "original" }),
  "table1-uniform-lbp": row({ lbp: "uniform" }),
  "table1-circle-lbp": row({ lbp: "circle" }),
  "table1-no-lbp": row({ lbp: "none" }),
  "table2-no-feature-extraction": row({ featureExtraction: false }),
  "table2-no-attention": row({ attention: false }),
  "table2-no-reconstruction": row({ reconstruction: false }),
  "table2-complete": row({}),
  "table3-A": row({ dilations: [1, 1, 1, 1] }),
  "table3-B": row({ dilations: [2, 2, 2, 2] }),
  "table3-C": row({ dilations: [3, 3, 3, 3] }),
  "table3-D": row({ dilations: [4, 4, 4, 4] }),
  "table3-E": row({ dilations: [2, 3, 4, 5] }),
  /** The full network at FER2013's native 48×48 with a quarter of the channels: trainable on a CPU. */
  "cpu-small": row({ inputSize: 48, width: 0.25, fcUnits: [128], dropout: 0.3 }),
  /** An eighth of the channels at 48×48: for quick experiments and CI. */
  "cpu-tiny": row({ inputSize: 48, width: 0.125, fcUnits: [64], dropout: 0.2 }),
  /**
   * cpu-tiny with the attention module as the classifier's only path: A = F_p ⊗ F_m (no F3 skip), no
   * reconstruction module (it re-reads F1), global average pooling (the head cannot weigh positions itself),
   * and F_m's gates starting nearly closed (bias -2, sigmoid 0.12), so they open where F_p carries what the loss
   * needs (results/study/: demo-gated-*). The main job's network: with the paper's wiring F_m does not localise
   * (ratio ≈ 1, chapter 08); here it does.
   */
  "cpu-tiny-gated": row({
    inputSize: 48,
    width: 0.125,
    fcUnits: [64],
    dropout: 0.2,
    attentionSkip: false,
    reconstruction: false,
    head: "gap",
    maskBias: -2,
  }),
};

/** The names of the ablation-table presets (Tables 1–3), in paper order. */
export const TABLE_PRESETS: readonly string[] = Object.keys(PRESETS).filter((n) => n.startsWith("table"));

/**
 * A copy of the named preset with `overrides` applied and validated.
 *
 * @example
 * ```ts
 * preset("table3-A", { width: 0.25 }); // Table 3 row A at a quarter width
 * ```
 */
export function preset(name: string, overrides: Partial<ModelConfig> = {}): ModelConfig {
  const base = PRESETS[name];
  if (!base) throw new Error(`unknown model preset "${name}"; known: ${Object.keys(PRESETS).join(", ")}`);
  return withOverrides(base, overrides);
}
