/**
 * The paper tables' experiments: one JSON file per table row under `experiments/<table>/<row>.json`,
 * holding the row's identity (table, row, label, the paper row it measures), its experiment spec at the
 * paper's setting (lib/experiment/spec.ts, parsed by the same parser as `fer train --config`), the
 * backend, and a `fast` block (tiny width, few samples and epochs) that CI uses.
 *
 * @example
 * ```ts
 * const exps = await loadExperiments("table5");
 * const run = resolveExperiment(exps[0], { fast: true }); // the spec one run uses
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  datasetName,
  type ExperimentSpec,
  type ModelSpec,
  needsUserData,
  type ParsedSpec,
  parseSpec,
  type TrainSpec,
} from "../experiment/spec.ts";
import type { BackendName, PrecisionRequest } from "../backend/runtime.ts";
import { parseRuntime } from "../backend/runtime_flags.ts";
import { TABLE_IDS, type TableId } from "./paper_numbers.ts";

/** The knobs the fast (CI) mode overrides. */
export interface FastOverrides {
  /** Model overrides (input size, width, hidden units). */
  model: ModelSpec;
  /** Training overrides (epochs, batch size). */
  train: TrainSpec;
  /** At most this many training / validation samples (per fold for k-fold). */
  maxTrain: number;
  maxVal: number;
  backend: BackendName;
}

/** One table row's experiment. */
export interface ExperimentConfig {
  table: TableId;
  row: string;
  label: string;
  /** Key of the paper's row this measures (see paper_numbers.ts). */
  paperRow: string;
  /** The experiment at the paper's setting. */
  spec: ExperimentSpec;
  backend: BackendName;
  fast: FastOverrides;
}

/** The spec of one run, with the fast or CPU profile applied when asked, as the spec parser returned it (the
 * spec, and its training resolved). */
export interface ResolvedExperiment extends ParsedSpec {
  config: ExperimentConfig;
  fast: boolean;
  backend: BackendName;
  maxTrain?: number;
  maxVal?: number;
  /** "cpu": the CPU-sized profile ({@link CPU_PROFILE}) replaced the config's model size and training. */
  profile?: "cpu";
  /** The profile's precision (the CPU profile's: auto); a `--precision` flag wins over it. */
  precision?: PrecisionRequest;
}

/**
 * A CPU-sized profile for every configuration (`fer reproduce --cpu`): the whole dataset and protocol at a size
 * and length per dataset that fits 2 CPU cores with the torch backend, instead of the paper's GPU-sized 256×256
 * for 100 epochs at lr 1e-6. Tables show each measured row's input size, width and epochs, so such a run is
 * never mistaken for the paper's setting.
 *
 * - The small lab sets (CK+, JAFFE, Oulu-CASIA): the `cpu` recipe of lib/engine/config.ts (SGD Nesterov, weight
 *   decay, cosine; chosen by the study in results/study/) at 48×48 and half the widths for 40 epochs (width was
 *   the study's biggest gain on CK+ folds 1-2, 79.4% → 89.6% from an eighth to a quarter; half gave 94.1% on
 *   fold 1 of the 5-fold run, about 30 minutes for all five folds in bf16); precision `auto`: bf16 on a CPU with
 *   bf16 instructions, else fp32 (lib/backend/torch/precision.ts), never bf16 emulated at an eighteenth of the speed.
 * - FER2013 (28,709 training pictures), frozen for Tables 1–4 on 2026-12-06 (issue 27) from the shipped-model
 *   study's best screen (results/study/: fer-w25-adam-crop-ls-e6, the paper's wiring at a quarter of the widths,
 *   59.63% ten-crop on PublicTest in 6 epochs): 48×48, a quarter of the widths, Adam 1e-3 with a cosine decay to
 *   1e-5 over 6 epochs, batch 32, random 42-of-48 crops + flips (no affine augmentation), label smoothing 0.1,
 *   ten-crop at the final evaluation, the last epoch kept (PublicTest only monitors), fp32 on every CPU so every
 *   row has the same numerics; about half an hour a row on 2 cores. (Until then: an eighth of the widths, the
 *   `cpu` recipe, 15 epochs, precision auto: record d77c.)
 */
export const CPU_PROFILE = {
  fer2013: {
    model: { inputSize: 48, width: 0.25 },
    train: {
      preset: "cosine",
      epochs: 6,
      batchSize: 32,
      augment: false,
      crop: { fraction: 0.875, flip: true },
      labelSmoothing: 0.1,
      tta: "tencrop",
      keep: "last",
    },
    precision: "fp32",
  },
  lab: { model: { inputSize: 48, width: 0.5 }, train: { preset: "cpu", epochs: 40, batchSize: 32 }, precision: "auto" },
} as const;

/** The CPU profile of a dataset (by its loader kind). */
export function cpuProfile(dataset: string): (typeof CPU_PROFILE)[keyof typeof CPU_PROFILE] {
  return dataset === "fer2013" ? CPU_PROFILE.fer2013 : CPU_PROFILE.lab;
}

/** The experiments folder of this checkout. */
export const EXPERIMENTS_DIR = fileURLToPath(new URL("../../experiments/", import.meta.url));

/** Checks one parsed config; errors name the file and the field. */
export function validateExperiment(x: unknown, file: string): ExperimentConfig {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  if (typeof x !== "object" || x === null) return fail("expected a JSON object");
  const c = x as ExperimentConfig;
  if (!(TABLE_IDS as readonly string[]).includes(c.table)) fail(`table must be one of ${TABLE_IDS.join(", ")}`);
  for (const k of ["row", "label", "paperRow", "backend"] as const) {
    if (typeof c[k] !== "string" || c[k] === "") fail(`"${k}" must be a non-empty string`);
  }
  const { spec } = parseSpec(c.spec, `${file} "spec"`);
  const f = c.fast;
  if (!f || typeof f.model !== "object" || typeof f.train !== "object") fail(`"fast" needs model and train overrides`);
  if (!Number.isInteger(f.maxTrain) || !Number.isInteger(f.maxVal) || typeof f.backend !== "string") {
    fail(`"fast" needs integer maxTrain and maxVal and a backend`);
  }
  parseSpec({ ...spec, model: { ...spec.model, ...f.model }, train: { ...spec.train, ...f.train } }, `${file} "fast"`);
  for (const [where, backend] of [["backend", c.backend], ["fast.backend", f.backend]]) {
    try {
      parseRuntime({ backend });
    } catch (e) {
      fail(`"${where}": ${(e as Error).message}`);
    }
  }
  return { ...c, spec };
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

/** Applies (or not) the fast or CPU profile, giving the spec one run uses, parsed (its training resolved). */
export function resolveExperiment(c: ExperimentConfig, opts: { fast: boolean; cpu?: boolean }): ResolvedExperiment {
  const where = `${c.table}/${c.row}`;
  if (opts.cpu) {
    if (opts.fast) throw new Error("choose one of the fast and cpu profiles");
    const cpu = cpuProfile(c.spec.dataset.dataset);
    const spec = { ...c.spec, model: { ...c.spec.model, ...cpu.model }, train: { ...cpu.train } };
    const parsed = parseSpec(spec, `${where} (cpu profile)`);
    return { config: c, fast: false, profile: "cpu", ...parsed, backend: c.backend, precision: cpu.precision };
  }
  if (!opts.fast) return { config: c, fast: false, ...parseSpec(c.spec, where), backend: c.backend };
  const f = c.fast;
  const spec = { ...c.spec, model: { ...c.spec.model, ...f.model }, train: { ...c.spec.train, ...f.train } };
  return {
    config: c,
    fast: true,
    ...parseSpec(spec, `${where} (fast)`),
    backend: f.backend,
    maxTrain: f.maxTrain,
    maxVal: f.maxVal,
  };
}

/** One line describing a resolved experiment (the `--dry-run` plan). */
export function describeExperiment(r: ResolvedExperiment): string {
  const c = r.config, { dataset, model, train, protocol } = r.spec;
  const p = protocol.kind === "split"
    ? `split train=${protocol.train} val=${protocol.val} report=${protocol.test ?? protocol.val}`
    : `${protocol.k}-fold by ${protocol.by} seed=${protocol.seed}`;
  const name = datasetName(dataset);
  const data = needsUserData(dataset) ? `${name} (needs user data: --root)` : name;
  const lim = r.fast ? ` max=${r.maxTrain}/${r.maxVal}` : "";
  return `${c.table}/${c.row}: ${data}, ${p}, model=${model.preset} input=${model.inputSize}` +
    `${model.width ? ` width=${model.width}` : ""}, train=${train.preset} epochs=${train.epochs}, ` +
    `backend=${r.backend}${r.precision ? ` precision=${r.precision}` : ""}${lim}${r.fast ? " [fast]" : ""}` +
    `${r.profile === "cpu" ? " [cpu profile]" : ""}`;
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
