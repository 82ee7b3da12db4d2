/**
 * The network of Li et al. (2020) and its ablations: one import for configs, presets, building,
 * saving/loading, summaries and diagrams.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): build.ts, config.ts, diagram.ts,
 *  io.ts, presets.ts, shipped.ts, summary.ts, testing.ts (tests' tiny configs and batches), tta.ts.
 *
 * @example
 * ```ts
 * import { buildModel, preset, saveModel } from "../lib/model/mod.ts";
 * const fm = buildModel(preset("table2-no-attention", { inputSize: 48, width: 0.25 }));
 * await saveModel(fm, "outputs/models/no-attention");
 * ```
 * @module
 */
export { AtrousConv2D, type AtrousConv2DArgs, atrousConv3x3 } from "./atrous.ts";
export {
  type AttentionMode,
  defaultConfig,
  featureGridSize,
  type HeadPooling,
  LBP_KINDS,
  type LbpKind,
  type MaskInput,
  type ModelConfig,
  scaledChannels,
  validateConfig,
  withOverrides,
} from "./config.ts";
export { preset, PRESETS, TABLE_PRESETS } from "./presets.ts";
export { type Tta, TTAS } from "./tta.ts";
export { attentionModelOf, buildModel, type FerModel, LBP_INPUT, MASK_LAYER, RAW_INPUT } from "./build.ts";
export {
  checkModelJson,
  type FerConfigFile,
  fileHandler,
  loadModel,
  MODEL_FILES,
  saveModel,
  type WeightPrecision,
} from "./io.ts";
export { fromFloat16, toFloat16 } from "./float16.ts";
export {
  formatCount,
  type LayerSummary,
  type ModelSummary,
  moduleOf,
  type ModuleSummary,
  summarizeModel,
  summarizeModules,
  summaryMarkdown,
} from "./summary.ts";
export { costsTable, moduleComparison, type PresetCost, presetCosts, summarizeConfig } from "./compare.ts";
export { modelDiagram } from "./diagram.ts";
export { modelDir, SHIPPED_MODELS, type ShippedModel, shippedModelDir } from "./shipped.ts";
