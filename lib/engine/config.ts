/**
 * Training hyper-parameters (`TrainConfig`) and named presets.
 *
 * `paper` is Li et al. 2020 §4 as published: learning rate 1e-6, batch 40 (Keras; the optimiser is
 * not named in the paper, Adam is assumed), 256×256 input is the model preset's business. `default`
 * is a sane modern choice (Adam 1e-3, plateau schedule, early stopping); `cosine` the same with a
 * cosine decay; `sgd` momentum SGD.
 *
 * @example
 * ```ts
 * const cfg = trainPreset("default", { epochs: 5 });
 * ```
 * @module
 */

/** Learning-rate schedule. */
export type Schedule =
  | { kind: "none" }
  | { kind: "plateau"; factor: number; patience: number; minLr: number }
  | { kind: "cosine"; minLr: number };

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
  /** On-the-fly random affine augmentation of training pictures. */
  augment: boolean;
  seed: number;
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
  if (!["none", "plateau", "cosine"].includes(c.schedule?.kind)) bad(`schedule.kind must be none|plateau|cosine`);
  if (!(c.momentum >= 0 && c.momentum < 1)) bad(`momentum must be in [0,1), got ${c.momentum}`);
  return c;
}
