/**
 * The checkpointing policy: after every epoch the whole training state — the loop's counters and
 * history, the seeded `Math.random` stream, the schedule's and the selection's states, the model's
 * weights, the optimiser's slots and the best epoch's weights — goes to `<runDir>/checkpoint/ckpt.bin`
 * (one atomic file, see checkpoint.ts); a resumed run starts from it and replays the same epochs.
 *
 * @example
 * ```ts
 * const resumed = await resumeTraining(checkpointPath(dir), { config, model, optimizer });
 * await saveTraining(checkpointPath(dir), { state, model, optimizer, best });
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import type { RngState } from "../../util/rng.ts";
import {
  readCheckpoint,
  restoreModel,
  restoreOptimizer,
  snapshotModel,
  snapshotOptimizer,
  type StoredArray,
  writeCheckpoint,
} from "../checkpoint.ts";
import type { TrainConfig } from "../config.ts";
import type { EpochMetrics, MemorySample } from "../epoch.ts";
import type { ScheduleState } from "./lr_schedule.ts";
import type { SelectionState } from "./selection.ts";

/** The JSON part of a training checkpoint. */
export type LoopState =
  & {
    /** Epochs finished. */
    epoch: number;
    history: EpochMetrics[];
    /** Memory after each epoch (absent in checkpoints written before it was recorded). */
    memory?: MemorySample[];
    /** The `Math.random` stream tfjs draws initialisers and dropout masks from. */
    mathRng: RngState;
    config: TrainConfig;
  }
  & ScheduleState
  & SelectionState;

/** The checkpoint path of a run folder. */
export function checkpointPath(runDir: string): string {
  return `${runDir}/checkpoint/ckpt.bin`;
}

/**
 * Restores model and optimiser from the checkpoint at `path` and returns the saved state and the best
 * epoch's weights; null when there is no checkpoint. A checkpoint of another train config (the number of
 * epochs aside) is an error naming the file.
 */
export async function resumeTraining(
  path: string,
  o: { config: TrainConfig; model: tfl.LayersModel; optimizer: tf.Optimizer },
): Promise<{ state: LoopState; best: StoredArray[] | null } | null> {
  if (!(await exists(path))) return null;
  const ck = await readCheckpoint<LoopState>(path);
  const { epochs: _a, ...was } = ck.state.config, { epochs: _b, ...now } = o.config;
  if (JSON.stringify(was) !== JSON.stringify(now)) {
    throw new Error(`${path}: saved with a different train config (${JSON.stringify(was)}); resume with the same one`);
  }
  restoreModel(o.model, ck.groups.model);
  if (ck.groups.optimizer.length) await restoreOptimizer(o.optimizer, ck.groups.optimizer);
  const state = { ...ck.state, config: o.config };
  return { state, best: state.bestIsCurrent ? ck.groups.model : ck.groups.best ?? null };
}

/** Writes the checkpoint of the state after an epoch (the best weights are not read twice when current). */
export async function saveTraining(
  path: string,
  o: { state: LoopState; model: tfl.LayersModel; optimizer: tf.Optimizer; best: StoredArray[] | null },
): Promise<void> {
  const current = o.state.bestIsCurrent && o.best;
  await writeCheckpoint(path, {
    state: o.state,
    groups: {
      model: current ? o.best! : await snapshotModel(o.model),
      optimizer: await snapshotOptimizer(o.optimizer),
      best: current || !o.best ? [] : o.best,
    },
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
