/**
 * Experiment configs: one JSON file per table row under `experiments/<table>/<row>.json`, naming the
 * dataset, protocol, input size, epochs, backend and model preset, plus a `fast` block (tiny width,
 * few samples and epochs) that CI uses.
 *
 * @example
 * ```ts
 * const exps = await loadExperiments("table5");
 * const run = resolveExperiment(exps[0], { fast: true }); // flat settings for one run
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TABLE_IDS, type TableId } from "./paper_numbers.ts";

/** How a row is evaluated. `report` is the split whose accuracy goes in the table. */
export type ExperimentProtocol =
  | { kind: "split"; train: string; val: string; report: string }
  | { kind: "kfold"; k: number; by: "random" | "subject"; seed: number };

/** The knobs the fast (CI) mode overrides. */
export interface FastOverrides {
  inputSize: number;
  /** Width multiplier of the model (1 = the paper's VGG widths). */
  width: number;
  fcUnits: number[];
  epochs: number;
  batchSize: number;
  /** At most this many training / validation samples (per fold for k-fold). */
  maxTrain: number;
  maxVal: number;
  backend: string;
}

/** One table row's experiment. */
export interface ExperimentConfig {
  table: TableId;
  row: string;
  label: string;
  /** Key of the paper's row this measures (see paper_numbers.ts). */
  paperRow: string;
  dataset: {
    name: "fer2013" | "ckplus" | "oulu" | "jaffe" | "ncufe";
    /** Folder under the datasets root, or null when the user must supply the data (--root). */
    path: string | null;
    needsUserData: boolean;
    /** Classes left out to match the paper's label set (CK+'s contempt). */
    excludeClasses: string[];
  };
  protocol: ExperimentProtocol;
  /** Model preset name of lib/model/presets.ts. */
  modelPreset: string;
  inputSize: number;
  /** Training preset name of lib/engine/config.ts. */
  trainPreset: string;
  epochs: number;
  backend: string;
  fast: FastOverrides;
}

/** Flat settings of one run, with the fast overrides applied when asked. */
export interface ResolvedExperiment {
  config: ExperimentConfig;
  fast: boolean;
  modelPreset: string;
  model: { inputSize: number; width?: number; fcUnits?: number[] };
  trainPreset: string;
  train: { epochs: number; batchSize?: number };
  backend: string;
  maxTrain?: number;
  maxVal?: number;
  /** "cpu": the CPU-sized profile ({@link CPU_PROFILE}) replaced the config's model size and training. */
  profile?: "cpu";
}

/**
 * A CPU-sized profile for every configuration (`fer reproduce --cpu`): the whole dataset and protocol, but
 * the eighth-width network at 48×48 trained with Adam 1e-3 for 15 epochs — minutes per fold on 2 cores
 * with the fer-native kernels, instead of the paper's GPU-sized 256×256 for 100 epochs at lr 1e-6. Tables
 * show each measured row's input size and width, so such a run is never mistaken for the paper's setting.
 */
export const CPU_PROFILE = { inputSize: 48, width: 0.125, trainPreset: "default", epochs: 15, batchSize: 32 } as const;

/** The experiments folder of this checkout. */
export const EXPERIMENTS_DIR = fileURLToPath(new URL("../../experiments/", import.meta.url));

const MODEL_PRESETS = [
  "paper",
  "table1-original-lbp",
  "table1-uniform-lbp",
  "table1-circle-lbp",
  "table1-no-lbp",
  "table2-no-feature-extraction",
  "table2-no-attention",
  "table2-no-reconstruction",
  "table2-complete",
  "table3-A",
  "table3-B",
  "table3-C",
  "table3-D",
  "table3-E",
  "cpu-small",
];

/** Checks one parsed config; errors name the file and the field. */
export function validateExperiment(x: unknown, file: string): ExperimentConfig {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  if (typeof x !== "object" || x === null) return fail("expected a JSON object");
  const c = x as ExperimentConfig;
  if (!(TABLE_IDS as readonly string[]).includes(c.table)) fail(`table must be one of ${TABLE_IDS.join(", ")}`);
  for (const k of ["row", "label", "paperRow", "modelPreset", "trainPreset", "backend"] as const) {
    if (typeof c[k] !== "string" || c[k] === "") fail(`"${k}" must be a non-empty string`);
  }
  if (!MODEL_PRESETS.includes(c.modelPreset)) fail(`unknown modelPreset "${c.modelPreset}"`);
  for (const k of ["inputSize", "epochs"] as const) {
    if (!Number.isInteger(c[k]) || c[k] <= 0) fail(`"${k}" must be a positive integer`);
  }
  if (!c.dataset || typeof c.dataset.name !== "string") fail(`"dataset.name" is missing`);
  const p = c.protocol;
  if (!p || (p.kind !== "split" && p.kind !== "kfold")) fail(`"protocol.kind" must be split or kfold`);
  if (p.kind === "kfold" && (!(p.k >= 2) || (p.by !== "random" && p.by !== "subject"))) {
    fail(`k-fold protocol needs k >= 2 and by = random | subject`);
  }
  if (!c.fast || !Number.isInteger(c.fast.epochs) || !(c.fast.width > 0)) fail(`"fast" needs epochs and width`);
  return c;
}

/** Loads every config of one table (sorted by file name), validated. */
export async function loadExperiments(table: TableId, dir = EXPERIMENTS_DIR): Promise<ExperimentConfig[]> {
  const tdir = join(dir, table);
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(tdir)) if (e.isFile && e.name.endsWith(".json")) files.push(e.name);
  } catch {
    throw new Error(`no experiment folder ${tdir} (expected experiments/${table}/<row>.json)`);
  }
  const out: ExperimentConfig[] = [];
  for (const f of files.sort()) {
    const path = join(tdir, f);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await Deno.readTextFile(path));
    } catch (err) {
      throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : err})`);
    }
    const c = validateExperiment(parsed, path);
    if (c.table !== table) throw new Error(`${path}: says table "${c.table}" but lives in ${table}/`);
    if (`${c.row}.json` !== f) throw new Error(`${path}: row "${c.row}" does not match the file name`);
    out.push(c);
  }
  return out;
}

/** Applies (or not) the fast overrides, giving the settings one run uses. */
export function resolveExperiment(c: ExperimentConfig, opts: { fast: boolean; cpu?: boolean }): ResolvedExperiment {
  if (opts.cpu) {
    if (opts.fast) throw new Error("choose one of the fast and cpu profiles");
    return {
      config: c,
      fast: false,
      profile: "cpu",
      modelPreset: c.modelPreset,
      model: { inputSize: CPU_PROFILE.inputSize, width: CPU_PROFILE.width },
      trainPreset: CPU_PROFILE.trainPreset,
      train: { epochs: CPU_PROFILE.epochs, batchSize: CPU_PROFILE.batchSize },
      backend: c.backend,
    };
  }
  if (!opts.fast) {
    return {
      config: c,
      fast: false,
      modelPreset: c.modelPreset,
      model: { inputSize: c.inputSize },
      trainPreset: c.trainPreset,
      train: { epochs: c.epochs },
      backend: c.backend,
    };
  }
  const f = c.fast;
  return {
    config: c,
    fast: true,
    modelPreset: c.modelPreset,
    model: { inputSize: f.inputSize, width: f.width, fcUnits: f.fcUnits },
    trainPreset: c.trainPreset,
    train: { epochs: f.epochs, batchSize: f.batchSize },
    backend: f.backend,
    maxTrain: f.maxTrain,
    maxVal: f.maxVal,
  };
}

/** One line describing a resolved experiment (the `--dry-run` plan). */
export function describeExperiment(r: ResolvedExperiment): string {
  const c = r.config;
  const p = c.protocol.kind === "split"
    ? `split train=${c.protocol.train} val=${c.protocol.val} report=${c.protocol.report}`
    : `${c.protocol.k}-fold by ${c.protocol.by} seed=${c.protocol.seed}`;
  const data = c.dataset.needsUserData ? `${c.dataset.name} (needs user data: --root)` : c.dataset.name;
  const lim = r.fast ? ` max=${r.maxTrain}/${r.maxVal}` : "";
  return `${c.table}/${c.row}: ${data}, ${p}, model=${r.modelPreset} input=${r.model.inputSize}` +
    `${r.model.width ? ` width=${r.model.width}` : ""}, train=${r.trainPreset} epochs=${r.train.epochs}, ` +
    `backend=${r.backend}${lim}${r.fast ? " [fast]" : ""}${r.profile === "cpu" ? " [cpu profile]" : ""}`;
}

/**
 * The resolved configurations of one table (optionally one row), in file order.
 *
 * @example
 * ```ts
 * (await planTable("table5", { fast: true })).map(describeExperiment);
 * ```
 */
export async function planTable(
  table: TableId,
  opts: { fast: boolean; cpu?: boolean; row?: string; dir?: string },
): Promise<ResolvedExperiment[]> {
  let exps = await loadExperiments(table, opts.dir);
  if (opts.row !== undefined) {
    exps = exps.filter((e) => e.row === opts.row);
    if (exps.length === 0) throw new Error(`${table} has no row "${opts.row}"`);
  }
  return exps.map((e) => resolveExperiment(e, { fast: opts.fast, cpu: opts.cpu }));
}
