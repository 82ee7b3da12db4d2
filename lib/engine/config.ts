/**
 * Training hyper-parameters (`TrainConfig`) and named presets.
 *
 * `paper` is Li et al. 2020 §4 as published: learning rate 1e-6, batch 40 (Keras; the optimiser is
 * not named in the paper, Adam is assumed), 256×256 input is the model preset's business. `default`
 * is a sane modern choice (Adam 1e-3, plateau schedule, early stopping); `cosine` the same with a
 * cosine decay; `sgd` momentum SGD; `cpu` the recipe of the CPU profile (issue 14's study, results/study/).
 *
 * The recipe ingredients (Nesterov momentum, weight decay, label smoothing, step decay, random crop + flip,
 * test-time averaging) are optional fields: a config without them trains exactly as before they existed.
 *
 * @example
 * ```ts
 * const cfg = trainPreset("default", { epochs: 5 });
 * ```
 * @module
 */
import { type Tta, TTAS } from "../model/tta.ts";
export { type Tta, TTAS };

/** Learning-rate schedule (`step`: lr × factor from each 1-based milestone epoch on, see policies/lr_schedule.ts). */
export type Schedule =
  | { kind: "none" }
  | { kind: "plateau"; factor: number; patience: number; minLr: number }
  | { kind: "cosine"; minLr: number }
  | { kind: "step"; milestones: number[]; factor: number };

/** Random crop of `fraction` of the side, resized back to the input size, then a left-right flip with p = ½. */
export interface CropAugment {
  fraction: number;
  flip: boolean;
}

/** Everything that drives one training run besides the model and the data. */
export interface TrainConfig {
  optimizer: "adam" | "sgd";
  lr: number;
  /** SGD momentum (0 = plain SGD). */
  momentum: number;
  batchSize: number;
  epochs: number;
  schedule: Schedule;
  /** "balanced" = n / (k · count_c); or explicit per-class weights. */
  classWeights: "none" | "balanced" | number[];
  /** Stop when the monitored validation metric has not improved for `patience` epochs (0 = never). */
  earlyStopping: { monitor: "val_loss" | "val_accuracy"; patience: number };
  /** On-the-fly random affine augmentation of training pictures (the paper's Keras setting). */
  augment: boolean;
  seed: number;
  /** SGD with Nesterov momentum (needs momentum > 0); absent = false. */
  nesterov?: boolean;
  /** L2 penalty ½·wd·Σ‖W‖² on conv and dense kernels (biases and BatchNorm excluded), applied as wd·W added to
   * their gradients (decayGradients); absent = 0. */
  weightDecay?: number;
  /** Targets (1 − ε)·onehot + ε/k; absent = 0. */
  labelSmoothing?: number;
  /**
   * Which epoch's weights the run ends with: "best" (absent: the best epoch of the monitored validation metric)
   * or "last" (the schedule's end; validation only monitors). With a fixed schedule and a small validation part,
   * "best" picks an early epoch by noise: CK+'s fold 2 kept epoch 10 of 40 on 75 validation faces.
   */
  keep?: "best" | "last";
  /** Random crop + flip of training pictures, after the affine augmentation when both are on; absent = none. */
  crop?: CropAugment;
  /** Test-time averaging of the final evaluation (not of the per-epoch validation); absent = none. */
  tta?: Tta;
}

/** The "default" preset: Adam 1e-3, plateau schedule, early stopping on validation accuracy. */
const DEFAULT: TrainConfig = {
  optimizer: "adam",
  lr: 1e-3,
  momentum: 0,
  batchSize: 32,
  epochs: 30,
  schedule: { kind: "plateau", factor: 0.5, patience: 3, minLr: 1e-5 },
  classWeights: "none",
  earlyStopping: { monitor: "val_accuracy", patience: 8 },
  augment: true,
  seed: 42,
};

/** Named training presets (each the default with what differs). */
export const TRAIN_PRESETS: Record<string, TrainConfig> = {
  paper: {
    ...DEFAULT,
    lr: 1e-6,
    batchSize: 40,
    epochs: 100,
    schedule: { kind: "none" },
    earlyStopping: { monitor: "val_accuracy", patience: 0 },
  },
  default: DEFAULT,
  cosine: {
    ...DEFAULT,
    schedule: { kind: "cosine", minLr: 1e-5 },
    earlyStopping: { monitor: "val_accuracy", patience: 0 },
  },
  sgd: { ...DEFAULT, optimizer: "sgd", lr: 1e-2, momentum: 0.9 },
  /**
   * The recipe of the CPU profile (`fer reproduce --cpu`; issue 14's study, results/study/): SGD with Nesterov
   * momentum 0.9 at lr 0.01, weight decay 5e-4 on the kernels, cosine decay to 1e-4, the paper's augmentation,
   * no early stopping, and the last epoch's weights (the cosine schedule's end; validation only monitors). The
   * profile sets the epochs per dataset.
   */
  cpu: {
    ...DEFAULT,
    optimizer: "sgd",
    lr: 0.01,
    momentum: 0.9,
    nesterov: true,
    weightDecay: 5e-4,
    epochs: 40,
    schedule: { kind: "cosine", minLr: 1e-4 },
    earlyStopping: { monitor: "val_accuracy", patience: 0 },
    keep: "last",
  },
};

/** A copy of a preset with overrides; throws on an unknown name. */
export function trainPreset(name: string, overrides: Partial<TrainConfig> = {}): TrainConfig {
  const base = TRAIN_PRESETS[name];
  if (!base) throw new Error(`unknown train preset "${name}" (have ${Object.keys(TRAIN_PRESETS).join(", ")})`);
  return validateTrainConfig({ ...structuredClone(base), ...overrides });
}

/** Checks ranges and kinds; returns the config. */
export function validateTrainConfig(c: TrainConfig): TrainConfig {
  const bad = (m: string) => {
    throw new Error(`train config: ${m}`);
  };
  if (c.optimizer !== "adam" && c.optimizer !== "sgd") bad(`optimizer must be adam or sgd, got ${c.optimizer}`);
  if (!(c.lr > 0)) bad(`lr must be > 0, got ${c.lr}`);
  if (!(Number.isInteger(c.batchSize) && c.batchSize >= 1)) {
    bad(`batchSize must be a positive integer, got ${c.batchSize}`);
  }
  if (!(Number.isInteger(c.epochs) && c.epochs >= 1)) bad(`epochs must be a positive integer, got ${c.epochs}`);
  if (!["none", "plateau", "cosine", "step"].includes(c.schedule?.kind)) {
    bad(`schedule.kind must be none|plateau|cosine|step`);
  }
  if (c.schedule.kind === "step") {
    const m = c.schedule.milestones;
    if (!Array.isArray(m) || m.some((e, i) => !Number.isInteger(e) || e < 1 || (i > 0 && e <= m[i - 1]))) {
      bad(`schedule.milestones must be increasing epochs >= 1, got ${JSON.stringify(m)}`);
    }
    if (!(c.schedule.factor > 0 && c.schedule.factor <= 1)) bad(`schedule.factor must be in (0,1]`);
  }
  if (!(c.momentum >= 0 && c.momentum < 1)) bad(`momentum must be in [0,1), got ${c.momentum}`);
  if (c.nesterov && !(c.optimizer === "sgd" && c.momentum > 0)) bad(`nesterov needs optimizer sgd with momentum > 0`);
  if (c.weightDecay !== undefined && !(c.weightDecay >= 0)) bad(`weightDecay must be >= 0, got ${c.weightDecay}`);
  if (c.labelSmoothing !== undefined && !(c.labelSmoothing >= 0 && c.labelSmoothing < 1)) {
    bad(`labelSmoothing must be in [0,1), got ${c.labelSmoothing}`);
  }
  if (c.crop !== undefined && !(c.crop.fraction > 0 && c.crop.fraction <= 1 && typeof c.crop.flip === "boolean")) {
    bad(`crop must be {fraction in (0,1], flip: boolean}, got ${JSON.stringify(c.crop)}`);
  }
  if (c.tta !== undefined && !TTAS.includes(c.tta)) bad(`tta must be ${TTAS.join("|")}`);
  if (c.keep !== undefined && c.keep !== "best" && c.keep !== "last") bad(`keep must be best or last, got ${c.keep}`);
  return c;
}
