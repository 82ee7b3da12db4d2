/**
 * The engine: model inputs from pictures (LBP channel, augmentation, packing), seeded batches, the
 * training loop and its policies (LR schedule, model selection and early stopping, checkpointing,
 * time budget, divergence guard), prediction with test-time augmentation, checkpoints, and the training presets.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): config.ts, epoch.ts, inputs.ts,
 *  loop.ts, pipeline.ts, predict.ts, predict_images.ts, probe.ts, testdata/fixtures.ts.
 *
 * @example
 * ```ts
 * import { ImageCache, lbpFor, train, trainPreset } from "../lib/engine/mod.ts";
 * const r = await train({ model: fm, dataset: ds, trainIndices, valIndices, config: trainPreset("default"),
 *   lbp: lbpFor(fm.config), runDir: "outputs/runs/x" });
 * ```
 * @module
 */
export {
  type CropAugment,
  type Schedule,
  TRAIN_PRESETS,
  type TrainConfig,
  trainPreset,
  type Tta,
  TTAS,
  validateTrainConfig,
} from "./config.ts";
export {
  type AugmentFn,
  inputTensors,
  type LbpFn,
  lbpFor,
  type PackedInputs,
  packInputs,
  paperAugment,
  trainAugment,
} from "./inputs.ts";
export { batchCount, type BatchOptions, type HostBatch, hostBatches, ImageCache, toTensors } from "./pipeline.ts";
export { type RunResult, train, type TrainOptions } from "./loop.ts";
export { type BatchInfo, type EpochMetrics, type EpochOptions, type MemorySample, runEpoch } from "./epoch.ts";
export {
  applyDecayedUpdate,
  classWeightVector,
  correctCount,
  decayedWeights,
  decayGradients,
  weightedCrossEntropy,
} from "./loss.ts";
export { makeOptimizer, setLr } from "./optimizer.ts";
export { type StepOptions, type StepResult, trainStep } from "./step.ts";
export { checkpointPath, type LoopState, resumeTraining, saveTraining } from "./policies/checkpointing.ts";
export {
  cosineLr,
  initialSchedule,
  lrForEpoch,
  scheduleAfterEpoch,
  type ScheduleState,
  stepLr,
} from "./policies/lr_schedule.ts";
export { earlyStop, initialSelection, selectAfterEpoch, type SelectionState } from "./policies/selection.ts";
export { overBudget } from "./policies/time_budget.ts";
export { type Divergence, DivergenceGuard, divergenceMessage, type DivergenceOptions } from "./policies/divergence.ts";
export { evaluate, predictImages, type PredictOptions, predictSamples, TENCROP_FRACTION, ttaViews } from "./predict.ts";
export { trainProbe } from "./probe.ts";
export {
  type Checkpoint,
  readCheckpoint,
  restoreModel,
  snapshotModel,
  type StoredArray,
  writeCheckpoint,
} from "./checkpoint.ts";
