/**
 * Executes one resolved experiment config: opens the dataset through lib/data (fast mode: an evenly
 * spaced subset), builds the model preset of lib/model with the config's input size and width, and
 * trains through the training engine (lib/experiment/run.ts `runExperiment`, split or k-fold), which
 * leaves `outputs/runs/<id>/run.json` tagged with the table row and whether it was a fast run.
 *
 * @example
 * ```ts
 * const [plan] = await planTable("table5", { fast: true, row: "full-subject" });
 * const { dir, record } = await executeExperiment(plan, {});
 * ```
 * @module
 */
import { join } from "node:path";
import { type DatasetKind, loadDataset } from "../data/load.ts";
import type { Dataset } from "../data/dataset.ts";
import { datasetsRoot } from "../data/paths.ts";
import { experimentModel, experimentProtocol, experimentTrain } from "./identity.ts";
import type { ResolvedExperiment } from "./experiments.ts";
import type { RunRecord } from "../experiment/record.ts";
import type { ExperimentOptions } from "../experiment/run.ts";
import { limitDataset } from "../data/routing.ts";
import { runExperiment } from "../experiment/run.ts";
import { type TrainConfig, trainPreset } from "../engine/config.ts";
import { type BackendName, selectBackend } from "../backend/select.ts";

/** Options of {@link executeExperiment}. */
export interface ExecuteOptions {
  /** Root of the shared datasets (default: FER_DATA or ../shared/datasets). */
  datasetsRoot?: string;
  /** The dataset folder itself, for data the user supplies (JAFFE, Oulu-CASIA, NCUFE). */
  root?: string;
  /** Parent of run folders (default outputs/runs). */
  runsDir?: string;
}

/** How each config dataset is opened by lib/data. */
const LOADER: Record<string, DatasetKind> = {
  fer2013: "fer2013",
  ckplus: "ckplus",
  jaffe: "jaffe",
  oulu: "oulu",
  ncufe: "folder",
};

/** Opens the config's dataset; the only class exclusion the loaders know is CK+'s contempt. */
export async function openExperimentDataset(r: ResolvedExperiment, opts: ExecuteOptions = {}): Promise<Dataset> {
  const c = r.config;
  if (!opts.root && !c.dataset.path) {
    throw new Error(`${c.table}/${c.row}: ${c.dataset.name} cannot be redistributed; pass --root with your copy`);
  }
  const base = opts.datasetsRoot ?? datasetsRoot();
  if (!opts.root && !base) throw new Error(`${c.table}/${c.row}: no datasets folder (set FER_DATA or pass --root)`);
  const root = opts.root ?? join(base!, c.dataset.path!);
  const unknown = c.dataset.excludeClasses.filter((x) => !(c.dataset.name === "ckplus" && x === "contempt"));
  if (unknown.length) throw new Error(`${c.table}/${c.row}: cannot exclude classes ${unknown.join(", ")}`);
  const ds = await loadDataset({
    dataset: LOADER[c.dataset.name],
    root,
    ...(c.dataset.excludeClasses.includes("contempt") ? { dropContempt: true } : {}),
  });
  if (!r.fast) return ds;
  const p = c.protocol.kind === "split"
    ? { kind: "split" as const, train: c.protocol.train, val: c.protocol.val }
    : { kind: "kfold" as const };
  return limitDataset(ds, p, r.maxTrain!, r.maxVal!);
}

/** The parts of the training engine this module calls (lib/experiment); tests may pass their own. */
export interface Engine {
  runExperiment(
    opts: Pick<ExperimentOptions, "model" | "train" | "protocol" | "backend" | "experiment" | "runsDir"> & {
      dataset: Dataset;
    },
  ): Promise<{ dir: string; record: RunRecord }>;
  trainPreset(name: string, overrides: Partial<TrainConfig>): TrainConfig;
  selectBackend(name: string): Promise<{ backend: string }>;
}

/** The real training engine. */
export const ENGINE: Engine = {
  runExperiment: (o) => runExperiment(o),
  trainPreset,
  selectBackend: (name) => selectBackend(name as BackendName),
};

/** Trains and evaluates one configuration; returns its run folder and finished record. */
export async function executeExperiment(
  r: ResolvedExperiment,
  opts: ExecuteOptions = {},
  engine: Engine = ENGINE,
): Promise<{ dir: string; record: RunRecord }> {
  const eng = engine;
  const c = r.config;
  const ds = await openExperimentDataset(r, opts);
  const model = experimentModel(r, ds.classes.length);
  const train = experimentTrain(r, eng.trainPreset);
  const { backend } = await eng.selectBackend(r.backend);
  const protocol = experimentProtocol(r);
  // `fast` travels in run.json so the tables can flag CI-sized runs
  const experiment = { table: c.table, row: c.row, fast: r.fast, ...(r.profile ? { profile: r.profile } : {}) };
  return await eng.runExperiment({ dataset: ds, model, train, protocol, backend, experiment, runsDir: opts.runsDir });
}
