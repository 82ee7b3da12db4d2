/**
 * Builds the network of Li et al. (2020), Figures 4–5, from a {@link ModelConfig}.
 *
 * Reading of the paper (each choice is visible in the layer names and the diagram):
 * - **Feature extraction** (two streams, raw image and LBP image, same architecture): "the first 10
 *   layers of VGG-16" = its first ten conv layers conv1_1 … conv4_3 (64-64-pool-128-128-pool-
 *   256-256-256-pool-512-512-512), with the three 2×2 max-pools between the blocks, so features are
 *   at 1/8 resolution (256 → 32, 48 → 6). "Three 1×1×64 convolutions to reduce the channels" are
 *   three consecutive 1×1 convs after conv4_3 (512 → 64 → 64 → 64). Every conv is followed by
 *   BatchNorm and ReLU. F1 = raw stream, F2 = LBP stream, F3 = F1 + F2 (element-wise; F3 = F1 when
 *   there is no LBP stream).
 * - **Without feature extraction** (Table 2): the VGG front-ends are removed; each stream is an 8×8
 *   average pool of the pixels (the same 1/8 grid) followed by the three 1×1 convs, so every later
 *   module keeps its shapes and only the learned front-end is missing.
 * - **Attention**: trunk branch = two 3×3 conv-BN-ReLU on F3 → F_p. Mask branch "integrates LBP
 *   features": its input is concat(F3, F2) (config `maskInput`: or F2 alone; F3 when no LBP), then
 *   two 3×3 conv-BN-ReLU → f_m, then F_m = sigmoid(W ⊛ f_m + b) with a 1×1 conv giving one mask
 *   value per feature element (Eq. 2; its bias starts at config `maskBias`, 0 by default). F_refine = F_p ⊗ F_m (Eq. 1; config `attentionMode:
 *   "residual"` gives F_p ⊗ (1 + F_m)). "F3 is summed element-wise with the output of the attention
 *   module": A = F_refine + F3 (config `attentionSkip: false`: A = F_refine alone). Without attention, A = F3.
 * - **Reconstruction**: dense atrous block of one 3×3 atrous conv-BN-ReLU per dilation (default
 *   2, 3, 4, 5); layer k reads concat(A, d_1, …, d_{k-1}, F1) ("the feature maps of all preceding
 *   layers and F1"); its output is the last layer's output d_n. Without reconstruction the
 *   classifier reads A.
 * - **Classification**: flatten (config `head: "gap"` for global average pooling), hidden FC-ReLU
 *   layers (`fcUnits`) each followed by dropout, then a softmax FC.
 *
 * Layer names are `module/…` (`input/`, `raw/`, `lbp/`, `fuse/`, `att/trunk/`, `att/mask/`, `att/`,
 * `rec/`, `cls/`) so summaries and diagrams can group them.
 *
 * @example
 * ```ts
 * const fm = buildModel(preset("cpu-small"));
 * const probs = fm.model.predict([raw, lbp]) as tf.Tensor; // [N, 7]
 * const mask = fm.attention!.predict([raw, lbp]) as tf.Tensor; // [N, 6, 6, 16], values in (0, 1)
 * ```
 * @module
 */
import {
  initializers,
  input,
  layers,
  type LayersModel,
  model as functionalModel,
  type SymbolicTensor,
} from "@tensorflow/tfjs-layers";
import { AtrousConv2D } from "./atrous.ts";
import type { Tta } from "./tta.ts";
import { type ModelConfig, scaledChannels, validateConfig } from "./config.ts";

/** A built network with its config and (when attention is on) a model exposing F_m. */
export interface FerModel {
  /** The validated config the network was built from. */
  config: ModelConfig;
  /** Inputs `[raw]` (lbp "none") or `[raw, lbp]`, each [N, S, S, C] in [0, 1]; output softmax [N, numClasses]. */
  model: LayersModel;
  /** Same inputs → F_m [N, S/8, S/8, 64·width], the sigmoid attention mask; null without attention. */
  attention: LayersModel | null;
  /** Optional class names, in output order (saved to fer-config.json). */
  labels?: string[];
  /**
   * The test-time augmentation its accuracy was measured with (saved to fer-config.json): what `fer predict`,
   * `fer evaluate` and the web page use unless told otherwise; absent = none.
   */
  tta?: Tta;
}

/** Name of the layer whose output is the attention mask F_m. */
export const MASK_LAYER = "att/mask/fm";
/** Name of the raw-image input layer. */
export const RAW_INPUT = "input/raw";
/** Name of the LBP-image input layer. */
export const LBP_INPUT = "input/lbp";

/** VGG-16's first ten conv layers, grouped by block; a 2×2 max-pool follows blocks 1–3. */
const VGG_BLOCKS: readonly (readonly number[])[] = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512]];
/** The three 1×1×64 channel reductions after the front-end. */
const REDUCE_CHANNELS = [64, 64, 64];

class Builder {
  #layer = 0;
  constructor(readonly cfg: ModelConfig) {}

  /** A distinct, deterministic initialiser seed per layer. */
  seed(): number {
    return (this.cfg.seed * 1000003 + 7919 * ++this.#layer) % 2147483647;
  }

  bnRelu(x: SymbolicTensor, name: string): SymbolicTensor {
    const bn = layers.batchNormalization({ momentum: this.cfg.bnMomentum, name: `${name}_bn` }).apply(x);
    return layers.reLU({ name: `${name}_relu` }).apply(bn) as SymbolicTensor;
  }

  convBnRelu(x: SymbolicTensor, name: string, filters: number, kernelSize: number): SymbolicTensor {
    const conv = layers.conv2d({
      filters,
      kernelSize,
      padding: "same",
      useBias: false,
      kernelInitializer: initializers.heNormal({ seed: this.seed() }),
      name,
    }).apply(x) as SymbolicTensor;
    return this.bnRelu(conv, name);
  }

  /** One stream of the feature extraction module: VGG front-end (or pooling) + three 1×1 reductions. */
  stream(x: SymbolicTensor, prefix: string): SymbolicTensor {
    const { width } = this.cfg;
    if (this.cfg.featureExtraction) {
      VGG_BLOCKS.forEach((block, b) => {
        block.forEach((ch, i) => {
          x = this.convBnRelu(x, `${prefix}/conv${b + 1}_${i + 1}`, scaledChannels(ch, width), 3);
        });
        if (b < VGG_BLOCKS.length - 1) {
          x = layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${prefix}/pool${b + 1}` }).apply(
            x,
          ) as SymbolicTensor;
        }
      });
    } else {
      x = layers.averagePooling2d({ poolSize: 8, strides: 8, name: `${prefix}/downsample` }).apply(x) as SymbolicTensor;
    }
    REDUCE_CHANNELS.forEach((ch, i) => {
      x = this.convBnRelu(x, `${prefix}/reduce${i + 1}`, scaledChannels(ch, width), 1);
    });
    return x;
  }

  /** Attention module: returns [A = F_refine + F3, F_m]. */
  attention(f3: SymbolicTensor, f2: SymbolicTensor | null): [SymbolicTensor, SymbolicTensor] {
    const c = scaledChannels(64, this.cfg.width);
    let fp = f3;
    for (let i = 1; i <= 2; i++) fp = this.convBnRelu(fp, `att/trunk/conv${i}`, c, 3);
    let fm: SymbolicTensor = f3;
    if (f2) {
      fm = this.cfg.maskInput === "lbp"
        ? f2
        : layers.concatenate({ name: "att/mask/concat_lbp" }).apply([f3, f2]) as SymbolicTensor;
    }
    for (let i = 1; i <= 2; i++) fm = this.convBnRelu(fm, `att/mask/conv${i}`, c, 3);
    const mask = layers.conv2d({
      filters: c,
      kernelSize: 1,
      activation: "sigmoid",
      kernelInitializer: initializers.glorotUniform({ seed: this.seed() }),
      biasInitializer: initializers.constant({ value: this.cfg.maskBias }),
      name: MASK_LAYER,
    }).apply(fm) as SymbolicTensor;
    let refined = layers.multiply({ name: "att/refine" }).apply([fp, mask]) as SymbolicTensor;
    if (this.cfg.attentionMode === "residual") {
      refined = layers.add({ name: "att/refine_residual" }).apply([fp, refined]) as SymbolicTensor;
    }
    if (!this.cfg.attentionSkip) return [refined, mask];
    const a = layers.add({ name: "att/skip" }).apply([refined, f3]) as SymbolicTensor;
    return [a, mask];
  }

  /** Reconstruction module: dense atrous convs, each reading concat(A, earlier outputs, F1). */
  reconstruction(a: SymbolicTensor, f1: SymbolicTensor): SymbolicTensor {
    const c = scaledChannels(64, this.cfg.width);
    const outs: SymbolicTensor[] = [];
    this.cfg.dilations.forEach((d, i) => {
      const name = `rec/atrous${i + 1}`;
      const x = layers.concatenate({ name: `rec/concat${i + 1}` }).apply([a, ...outs, f1]) as SymbolicTensor;
      const conv = new AtrousConv2D({ filters: c, dilation: d, seed: this.seed(), name }).apply(x) as SymbolicTensor;
      outs.push(this.bnRelu(conv, name));
    });
    return outs[outs.length - 1];
  }

  classifier(x: SymbolicTensor): SymbolicTensor {
    x =
      (this.cfg.head === "gap"
        ? layers.globalAveragePooling2d({ name: "cls/gap" })
        : layers.flatten({ name: "cls/flatten" })).apply(x) as SymbolicTensor;
    this.cfg.fcUnits.forEach((units, i) => {
      x = layers.dense({
        units,
        activation: "relu",
        kernelInitializer: initializers.heNormal({ seed: this.seed() }),
        name: `cls/fc${i + 1}`,
      }).apply(x) as SymbolicTensor;
      if (this.cfg.dropout > 0) {
        x = layers.dropout({ rate: this.cfg.dropout, seed: this.seed(), name: `cls/dropout${i + 1}` })
          .apply(x) as SymbolicTensor;
      }
    });
    return layers.dense({
      units: this.cfg.numClasses,
      activation: "softmax",
      kernelInitializer: initializers.glorotUniform({ seed: this.seed() }),
      name: "cls/out",
    }).apply(x) as SymbolicTensor;
  }
}

/**
 * Builds the network described by `cfg` (validated first).
 *
 * @example
 * ```ts
 * const fm = buildModel(defaultConfig({ width: 0.25, lbp: "none" }));
 * fm.model.predict(tf.zeros([2, 48, 48, 1]));
 * ```
 */
export function buildModel(cfg: ModelConfig): FerModel {
  const config = validateConfig(cfg);
  const b = new Builder(config);
  const s = config.inputSize;
  const raw = input({ shape: [s, s, config.channels], name: RAW_INPUT });
  const lbp = config.lbp === "none" ? null : input({ shape: [s, s, 1], name: LBP_INPUT });
  const inputs = lbp ? [raw, lbp] : [raw];

  const f1 = b.stream(raw, "raw");
  const f2 = lbp ? b.stream(lbp, "lbp") : null;
  const f3 = f2 ? layers.add({ name: "fuse/add" }).apply([f1, f2]) as SymbolicTensor : f1;
  let features = f3;
  let mask: SymbolicTensor | null = null;
  if (config.attention) [features, mask] = b.attention(f3, f2);
  if (config.reconstruction) features = b.reconstruction(features, f1);
  const probs = b.classifier(features);

  const model = functionalModel({ inputs, outputs: probs, name: "fer" });
  const attention = mask ? functionalModel({ inputs, outputs: mask, name: "fer_attention" }) : null;
  return { config, model, attention };
}

/**
 * The F_m model of an already built (or loaded) classifier, sharing its weights; null when the
 * model has no attention module.
 *
 * @example
 * ```ts
 * const att = attentionModelOf(loaded); // after tf.loadLayersModel
 * ```
 */
export function attentionModelOf(model: LayersModel): LayersModel | null {
  const layer = model.layers.find((l) => l.name === MASK_LAYER);
  if (!layer) return null;
  return functionalModel({ inputs: model.inputs, outputs: layer.output as SymbolicTensor, name: "fer_attention" });
}
