/**
 * The grid modes behind `fer reproduce` (which parses their flags and prints what they return): the plan's
 * jobs (one per row, fold and seed) with their state and their own command lines; one such command
 * (`--row R [--fold I] --hash H`) runs one job into the shared runs folder, skipping it when done and
 * resuming it from its checkpoint otherwise; `submit` hands the jobs not yet done to Slurm (or gives the
 * scripts, or a Kubernetes Indexed Job); `collect` assembles the records and writes the table.
 *
 * @example
 * ```sh
 * deno task fer reproduce table5 --fast --folds 2 --plan
 * deno task fer reproduce table5 --fast --folds 2 --row full-subject --fold 1 --hash 3fa2… --runs-dir /shared/runs
 * deno task fer reproduce table5 --fast --folds 2 --submit slurm --partition gpu
 * deno task fer reproduce table5 --fast --folds 2 --collect
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import { projectRoot } from "../data/paths.ts";
import { gitCommit, readMetricsCsv } from "../experiment/record.ts";
import { specHash } from "../experiment/hash.ts";
import { datasetHere } from "../experiment/spec.ts";
import { collectGrid } from "./collect.ts";
import { executeExperiment } from "./execute.ts";
import { keepRecord } from "./sequential.ts";
import { type GridJob, type GridOverrides, jobState, planGrid, sharedRunOf } from "./plan.ts";
import type { TableId } from "../report/paper_numbers.ts";
import { type LoadedRun, readRuns, runAccuracy } from "../report/runs.ts";
import { buildTable, type TableResult, writeTable } from "../report/tables.ts";
import type { RuntimeRequest } from "../backend/runtime.ts";
import { type ClusterSettings, shellQuote, taskResources } from "./cluster.ts";
import { indexedJob } from "./k8s.ts";
import { arrayScript, collectScript, submitSlurm } from "./slurm.ts";

/** The options of a grid, as `fer reproduce` parsed them. */
export interface GridFlags {
  table: TableId;
  fast: boolean;
  cpu: boolean;
  rows?: string[];
  seeds?: number;
  overrides: GridOverrides;
  /** Absolute. */
  runsDir: string;
  /** The dataset folder given with --root (absolute). */
  root?: string;
  /** Where the jobs run, as the flags gave it (each job's command passes it on). */
  runtime: RuntimeRequest;
  /** Where tables go. */
  out: string;
}

const FER = ["deno", "task", "fer", "reproduce"];

/** The table and profile of every command of the grid. */
function head(f: GridFlags): string[] {
  return [...FER, f.table, ...(f.fast ? ["--fast"] : f.cpu ? ["--cpu"] : [])];
}

/** The overrides of every command of the grid. */
function overrides(f: GridFlags): string[] {
  const o = f.overrides;
  return [
    ...(o.k !== undefined ? ["--folds", String(o.k)] : []),
    ...(o.epochs !== undefined ? ["--epochs", String(o.epochs)] : []),
  ];
}

/** The data folder a job reads: --root, else the row's folder under the datasets root when there is one here. */
function dataFolder(f: GridFlags, job: GridJob): string | undefined {
  const d = job.experiment.spec.dataset;
  if (f.root || d.dataset === "synthetic" || d.root !== undefined) return f.root;
  return datasetHere(d)?.root;
}

/** The self-contained command of one job. */
export function jobCommand(f: GridFlags, job: GridJob): string[] {
  const data = dataFolder(f, job);
  return [
    ...head(f),
    "--row",
    job.experiment.config.row,
    ...(job.fold !== undefined ? ["--fold", String(job.fold)] : []),
    ...overrides(f),
    ...(job.experiment.spec.train.seed !== undefined ? ["--seed", String(job.seed)] : []),
    "--hash",
    job.hash,
    "--runs-dir",
    f.runsDir,
    ...(data ? ["--root", resolve(data)] : []),
    ...(f.runtime.device ? ["--device", f.runtime.device] : []),
    ...(f.runtime.precision ? ["--precision", f.runtime.precision] : []),
  ];
}

/** The command that collects the grid's records into its table. */
export function collectCommand(f: GridFlags): string[] {
  return [
    ...head(f),
    ...(f.rows ? ["--rows", f.rows.join(",")] : []),
    ...overrides(f),
    ...(f.overrides.seed !== undefined ? ["--seed", String(f.overrides.seed)] : []),
    ...((f.seeds ?? 1) > 1 ? ["--seeds", String(f.seeds)] : []),
    "--collect",
    "--runs-dir",
    f.runsDir,
    "--out",
    resolve(f.out),
  ];
}

/** The grid's jobs. */
export function gridJobs(f: GridFlags): Promise<GridJob[]> {
  return planGrid(f.table, { fast: f.fast, cpu: f.cpu, rows: f.rows, seeds: f.seeds, overrides: f.overrides });
}

function describe(f: GridFlags, jobs: GridJob[]): string {
  const rows = new Set(jobs.map((j) => j.experiment.config.row)).size;
  const folds = new Set(jobs.map((j) => j.fold ?? 0)).size, seeds = new Set(jobs.map((j) => j.seed)).size;
  const mode = f.fast ? " (fast mode)" : f.cpu ? " (cpu profile)" : "";
  return `${f.table}${mode}: ${jobs.length} job(s), ${rows} row(s) × ${folds} fold(s) × ${seeds} seed(s)`;
}

function label(j: GridJob): string {
  const p = j.experiment.spec.protocol, c = j.experiment.config;
  const fold = p.kind === "kfold" ? ` fold ${j.fold}/${p.k}` : "";
  return `${c.table}/${c.row}${fold} seed ${j.seed}`;
}

/** What another row's run of the same experiment is: `run for table2/complete (<run id>)`. */
function runFor(run: LoadedRun): string {
  const tag = run.record.experiment!;
  return `run for ${tag.table}/${tag.row} (${run.record.id})`;
}

/** `--plan`: one line per job with its state, and its command (a shared job: whose run serves it); collect last. */
export async function planText(f: GridFlags): Promise<string> {
  const jobs = await gridJobs(f), runs = await readRuns(f.runsDir);
  const states = await Promise.all(jobs.map((j) => jobState(f.runsDir, j, runs)));
  const count = (s: string) => states.filter((x) => x === s).length;
  const shared = count("shared") ? `, ${count("shared")} run for another row` : "";
  const lines = [
    `plan for ${describe(f, jobs)}; ${count("done")} done, ${count("resume")} to resume, ${count("new")} new` +
    `${shared}; records in ${f.runsDir}`,
  ];
  for (const [i, j] of jobs.entries()) {
    lines.push(`  ${states[i].padEnd(6)} ${j.id}  ${label(j)}`);
    if (states[i] === "shared") lines.push(`         ${runFor(sharedRunOf(runs, j)!)}: not run again`);
    else lines.push(`         ${jobCommand(f, j).map(shellQuote).join(" ")}`);
  }
  lines.push(`collect: ${collectCommand(f).map(shellQuote).join(" ")}`);
  return lines.join("\n");
}

/** One job (`--row R [--fold I] [--seed S] --hash H`): skipped when done, resumed when started. */
export async function runJob(f: GridFlags, fold: number | undefined, hash: string): Promise<number> {
  if (f.rows?.length !== 1) throw new Error("a job is one row: give --row with the plan's --fold and --hash");
  const jobs = await gridJobs(f);
  const job = jobs.find((j) => j.fold === fold);
  if (!job) {
    throw new Error(`${f.table}/${f.rows[0]} has no fold ${fold} (folds: ${jobs.map((j) => j.fold ?? "none")})`);
  }
  if (job.hash !== hash) {
    throw new Error(
      `${label(job)}: its spec hashes to ${job.hash}, the plan said ${hash}: the experiment changed ` +
        `since the plan (experiments/, options or code); plan again`,
    );
  }
  const runs = await readRuns(f.runsDir);
  const state = await jobState(f.runsDir, job, runs);
  const dir = join(f.runsDir, job.id);
  if (state === "done" || state === "shared") {
    const where = state === "done" ? `done in ${dir}` : `the same experiment was ${runFor(sharedRunOf(runs, job)!)}`;
    console.error(`${label(job)}: ${where}; skipped`);
    return 0;
  }
  const how = state === "resume" ? `resuming in ${dir} ${await progressOf(dir, job)}` : `starting in ${dir}`;
  console.error(`${label(job)}: ${how}`);
  const { record } = await executeExperiment(job.experiment, {
    root: f.root,
    runsDir: f.runsDir,
    runtime: f.runtime,
    job: { id: job.id, hash: job.hash, resume: state === "resume" },
  });
  const acc = record.folds?.[0]?.accuracy ?? runAccuracy(record)?.accuracy;
  console.error(`${label(job)}: ${record.status}${acc !== undefined ? `, accuracy ${(100 * acc).toFixed(2)}%` : ""}`);
  return record.status === "done" ? 0 : 1;
}

/** How far a started job got: the epochs its metrics.csv holds (its checkpoint, written first, may hold one more). */
async function progressOf(dir: string, job: GridJob): Promise<string> {
  const file = join(job.fold !== undefined ? `fold-${job.fold}` : "", "metrics.csv");
  try {
    const epochs = (await readMetricsCsv(join(dir, file))).length;
    const of = job.experiment.train.epochs;
    return `from its checkpoint (${file}: ${epochs} of ${of} epochs done)`;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "(killed before its first epoch ended: from the start)";
    throw e;
  }
}

/** What `--collect` did: the table it wrote, and the jobs that are not done (each as "<id>  <label>"). */
export interface Collected {
  table: TableResult;
  files: { md: string; csv: string };
  jobs: number;
  missing: string[];
  /** The records copied by `keepInto`. */
  kept: string[];
}

/**
 * `--collect`: assembles the finished jobs' records and writes the table from them; with `keepInto`
 * (`--keep`: results/runs) it also copies there every finished record of the grid, each (row, seed)'s and each
 * row's mean over seeds.
 */
export async function collect(f: GridFlags, keepInto?: string): Promise<Collected> {
  const jobs = await gridJobs(f);
  const { written, missing, records } = await collectGrid(jobs, f.runsDir);
  for (const id of written) console.error(`assembled ${join(f.runsDir, id)}`);
  const kept: string[] = [];
  for (const id of keepInto ? records : []) kept.push(await keepRecord(join(f.runsDir, id), keepInto));
  const table = await buildTable(f.table, { runsDir: f.runsDir });
  const files = await writeTable(table, f.out);
  return { table, files, jobs: jobs.length, missing: missing.map((j) => `${j.id}  ${label(j)}`), kept };
}

/** What `--submit` gives: text for the standard output (scripts, a manifest, the submitted ids) and a note. */
export interface Submitted {
  out: string;
  note?: string;
}

/**
 * `--submit slurm|print|k8s`: the scripts for the jobs not done yet, submitted (slurm) or as text (print);
 * or the Kubernetes manifest as text (apply it with kubectl; collect afterwards).
 */
export async function submit(
  f: GridFlags,
  how: "slurm" | "print" | "k8s",
  settings: ClusterSettings,
): Promise<Submitted> {
  const jobs = await gridJobs(f), runs = await readRuns(f.runsDir);
  const states = await Promise.all(jobs.map((j) => jobState(f.runsDir, j, runs)));
  const todo = jobs.filter((_, i) => states[i] !== "done" && states[i] !== "shared");
  if (todo.length === 0) {
    return {
      out: collectCommand(f).map(shellQuote).join(" "),
      note: `all ${jobs.length} job(s) of ${f.table} are done; collect them:`,
    };
  }
  const logDir = join(f.runsDir, "slurm"), planHash = specHash(todo.map((j) => j.hash)).slice(0, 8);
  const name = `fer-${f.table}`, base = join(logDir, `${f.table}-${planHash}`);
  const resources = await taskResources(todo, { runsDir: f.runsDir, device: f.runtime.device, settings });
  const about = [
    `fer reproduce ${describe(f, jobs)}: ${todo.length} to run, ${jobs.length - todo.length} done`,
    `planned ${new Date().toISOString()} at commit ${(await gitCommit()) ?? "(no git)"}`,
    `one array task per job; each writes its record to ${f.runsDir}/grid-<hash>/, skips a done job and`,
    "resumes a killed one (--requeue: preempted tasks come back) from its checkpoint",
    `submit: mkdir -p ${logDir} && sbatch ${base}.sbatch, then`,
    `sbatch --dependency=afterany:<array job id> ${base}-collect.sbatch (what --submit slurm does)`,
  ];
  const tasks = todo.map((j) => ({ command: jobCommand(f, j), label: label(j) }));
  if (how === "k8s") {
    const mounts = [f.runsDir, ...new Set(todo.map((j) => dataFolder(f, j)).filter((d) => d !== undefined))];
    const k8sAbout = [
      `fer reproduce ${describe(f, jobs)}: ${todo.length} to run, ${jobs.length - todo.length} done`,
      `the image holds this checkout at ${projectRoot()} with deno; mount ${mounts.join(", ")} at these paths`,
      `then: kubectl apply -f <this file>; when it completes: ${collectCommand(f).map(shellQuote).join(" ")}`,
    ];
    return {
      out: indexedJob({
        name: `${name}-${planHash}`,
        about: k8sAbout,
        tasks,
        resources,
        settings,
        repo: projectRoot(),
      }),
    };
  }
  const opts = { name, about, resources, settings, repo: projectRoot(), logDir };
  const array = arrayScript({ ...opts, tasks });
  const coll = collectScript({
    ...opts,
    about: [`collects ${describe(f, jobs)} into its table`],
    command: collectCommand(f),
  });
  if (how === "print") return { out: [array, `# ---- ${base}-collect.sbatch ----`, coll].join("\n") };
  await Deno.mkdir(logDir, { recursive: true });
  await Deno.writeTextFile(`${base}.sbatch`, array);
  await Deno.writeTextFile(`${base}-collect.sbatch`, coll);
  const ids = await submitSlurm(`${base}.sbatch`, `${base}-collect.sbatch`);
  return {
    out: JSON.stringify({ array: ids.array, collect: ids.collect, tasks: todo.length, script: `${base}.sbatch` }),
    note: `submitted ${todo.length} task(s) as array job ${ids.array} and the collect job ${ids.collect}; ` +
      `logs in ${logDir}`,
  };
}
