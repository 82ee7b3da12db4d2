/**
 * The JSON-serialisable description of one network of Li et al. (2020): every ablation of
 * Tables 1–3 is a {@link ModelConfig}, not a code fork. {@link validateConfig} turns untrusted JSON
 * (a CLI flag, a checkpoint's fer-config.json) into a checked config with errors naming the field.
 *
 * @example
 * ```ts
 * const cfg = defaultConfig({ inputSize: 48, width: 0.25, lbp: "uniform" });
 * const same = validateConfig(JSON.parse(JSON.stringify(cfg)));
 * ```
 * @module
 */

/** LBP variant feeding the second stream (Table 1); "none" removes the LBP stream. */
export type LbpKind = "none" | "original" | "circle" | "uniform";
/** Every {@link LbpKind}, in Table 1 order plus "none". */
export const LBP_KINDS: readonly LbpKind[] = ["original", "uniform", "circle", "none"];

/**
 * How the mask F_m weights the trunk features F_p:
 * - "product": F_refine = F_p ⊗ F_m (the paper's Eq. 1);
 * - "residual": F_refine = F_p ⊗ (1 + F_m) (Residual Attention Network's variant).
 */
export type AttentionMode = "product" | "residual";
/**
 * Input of the attention mask branch ("integrates LBP features"):
 * - "fused+lbp": concat(F3, F2);
 * - "lbp": F2 only.
 * Without an LBP stream the mask branch always reads F3.
 */
export type MaskInput = "fused+lbp" | "lbp";
/** Classifier input: "flatten" the 1/8-resolution map (keeps where attention looked) or global average "gap". */
export type HeadPooling = "flatten" | "gap";

/** One network configuration. Every field is plain JSON. */
export interface ModelConfig {
  /** Side of the square input images in pixels (48 for FER2013, 256 in the paper). Must be ≥ 8. */
  inputSize: number;
  /** Channels of the raw image (1 = greyscale). The LBP image always has 1 channel. */
  channels: number;
  /** Width multiplier on every conv: 1 = VGG-16 widths 64…512 and 64-channel reductions. */
  width: number;
  /** LBP variant of the second stream (Table 1); the stream exists iff lbp !== "none". */
  lbp: LbpKind;
  /** Table 2: with the VGG-16 front-ends (true) or without (streams = 8×8 average pool + 1×1 convs). */
  featureExtraction: boolean;
  /** Table 2: attention module on/off. */
  attention: boolean;
  /** Table 2: reconstruction module (dense atrous convs) on/off. */
  reconstruction: boolean;
  /** Table 3: dilation of each atrous conv of the reconstruction module, in order. */
  dilations: number[];
  /** Output classes (7 for FER2013 and CK+ with contempt removed…). */
  numClasses: number;
  /** Dropout rate after each hidden FC layer, in [0, 1). */
  dropout: number;
  /** Units of the hidden FC layers before the softmax layer ([] = softmax straight on the features). */
  fcUnits: number[];
  /** BatchNorm moving-average momentum (tfjs default 0.99 lags too much on short runs). */
  bnMomentum: number;
  /** Seed of every weight initialiser. */
  seed: number;
  /** F_p ⊗ F_m or F_p ⊗ (1 + F_m). */
  attentionMode: AttentionMode;
  /**
   * A = F_refine + F3 (true: the paper's "F3 is summed element-wise with the output of the attention module") or
   * A = F_refine alone (false: everything after the attention module passes through F_m's gates).
   */
  attentionSkip: boolean;
  /** What the mask branch reads when an LBP stream exists. */
  maskInput: MaskInput;
  /** Flatten or global-average-pool before the FC layers. */
  head: HeadPooling;
  /**
   * Initial bias of F_m's 1×1 conv (0, Keras' default, opens every gate half-way; a negative bias starts
   * the gates nearly closed, so they open where F_p carries what the loss needs: the demo's choice).
   */
  maskBias: number;
}

/** The paper's full network (circle LBP, all modules, dilations 2-3-4-5) at FER2013's 48×48. */
const DEFAULTS: ModelConfig = {
  inputSize: 48,
  channels: 1,
  width: 1,
  lbp: "circle",
  featureExtraction: true,
  attention: true,
  reconstruction: true,
  dilations: [2, 3, 4, 5],
  numClasses: 7,
  dropout: 0.5,
  fcUnits: [256],
  bnMomentum: 0.9,
  seed: 0,
  attentionMode: "product",
  attentionSkip: true,
  maskInput: "fused+lbp",
  head: "flatten",
  maskBias: 0,
};

/**
 * The default config (paper architecture at 48×48) with `overrides` applied and validated.
 *
 * @example
 * ```ts
 * const cfg = defaultConfig({ width: 0.25, attention: false });
 * ```
 */
export function defaultConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return withOverrides(DEFAULTS, overrides);
}

/**
 * `base` with the defined fields of `overrides` replaced (an `undefined` override keeps the base
 * value), validated. Neither argument is modified.
 *
 * @example
 * ```ts
 * withOverrides(defaultConfig(), { inputSize: 96, width: undefined }).width; // 1
 * ```
 */
export function withOverrides(base: ModelConfig, overrides: Partial<ModelConfig>): ModelConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return validateConfig({ ...structuredClone(base), ...structuredClone(defined) });
}

const KEYS = Object.keys(DEFAULTS) as (keyof ModelConfig)[];

/**
 * Checks untrusted JSON and returns a fresh {@link ModelConfig}. Every field is required except
 * the ones added after the first release (`attentionMode`, `attentionSkip`, `maskInput`, `head`, `maskBias`), which default.
 * A numeric `fcUnits` is read as a single hidden layer. Errors name the field and what was expected.
 *
 * @example
 * ```ts
 * const cfg = validateConfig(JSON.parse(await Deno.readTextFile("fer-config.json")).config);
 * ```
 */
export function validateConfig(c: unknown): ModelConfig {
  if (typeof c !== "object" || c === null || Array.isArray(c)) {
    throw new Error(`model config must be an object, got ${c === null ? "null" : typeof c}`);
  }
  const o = c as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !(KEYS as string[]).includes(k));
  if (unknown.length) {
    throw new Error(`model config: unknown field(s) ${unknown.join(", ")}; known: ${KEYS.join(", ")}`);
  }
  const fail = (field: string, expected: string): never => {
    throw new Error(`model config: ${field} must be ${expected}, got ${JSON.stringify(o[field])}`);
  };
  const int = (field: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = o[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      fail(field, `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? "∞" : max}]`);
    }
    return v as number;
  };
  const num = (field: string, check: (v: number) => boolean, expected: string): number => {
    const v = o[field];
    if (typeof v !== "number" || !Number.isFinite(v) || !check(v)) fail(field, expected);
    return v as number;
  };
  const bool = (field: string): boolean => {
    if (typeof o[field] !== "boolean") fail(field, "true or false");
    return o[field] as boolean;
  };
  const oneOf = <T extends string>(field: string, options: readonly T[], fallback?: T): T => {
    if (o[field] === undefined && fallback !== undefined) return fallback;
    if (!options.includes(o[field] as T)) fail(field, `one of ${options.map((s) => `"${s}"`).join(", ")}`);
    return o[field] as T;
  };
  const intList = (field: string, min: number, max: number, minLen: number, maxLen: number): number[] => {
    const raw = typeof o[field] === "number" ? [o[field]] : o[field];
    if (
      !Array.isArray(raw) || raw.length < minLen || raw.length > maxLen ||
      raw.some((v) => typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    ) {
      fail(field, `a list of ${minLen}-${maxLen} integers in [${min}, ${max}]`);
    }
    return [...(raw as number[])];
  };

  const cfg: ModelConfig = {
    inputSize: int("inputSize", 8, 4096),
    channels: int("channels", 1, 4),
    width: num("width", (v) => v > 0 && v <= 4, "a number in (0, 4]"),
    lbp: oneOf("lbp", ["none", "original", "circle", "uniform"]),
    featureExtraction: bool("featureExtraction"),
    attention: bool("attention"),
    reconstruction: bool("reconstruction"),
    dilations: intList("dilations", 1, 64, 1, 8),
    numClasses: int("numClasses", 2, 1000),
    dropout: num("dropout", (v) => v >= 0 && v < 1, "a number in [0, 1)"),
    fcUnits: intList("fcUnits", 1, 65536, 0, 4),
    bnMomentum: num("bnMomentum", (v) => v >= 0 && v < 1, "a number in [0, 1)"),
    seed: int("seed", 0, 2 ** 31 - 1),
    attentionMode: oneOf("attentionMode", ["product", "residual"], "product"),
    attentionSkip: o.attentionSkip === undefined ? true : bool("attentionSkip"),
    maskInput: oneOf("maskInput", ["fused+lbp", "lbp"], "fused+lbp"),
    head: oneOf("head", ["flatten", "gap"], "flatten"),
    maskBias: o.maskBias === undefined ? 0 : num("maskBias", (v) => v >= -20 && v <= 20, "a number in [-20, 20]"),
  };
  return cfg;
}

/**
 * Channels of a layer whose paper width is `base`, scaled by `width` (at least 1).
 *
 * @example
 * ```ts
 * scaledChannels(512, 0.25); // 128
 * ```
 */
export function scaledChannels(base: number, width: number): number {
  return Math.max(1, Math.round(base * width));
}

/**
 * Side of the feature maps after the three 2×2 max-pools of the VGG front-end (floor each time).
 *
 * @example
 * ```ts
 * featureGridSize(256); // 32
 * ```
 */
export function featureGridSize(inputSize: number): number {
  return Math.floor(Math.floor(Math.floor(inputSize / 2) / 2) / 2);
}
