/**
 * `deno task fer reproduce <table-id> [--fast] [--dry-run] [--report-only]`: lists or executes the
 * experiment configs of one paper table, then regenerates the table from the run records; or, as a grid
 * of jobs (grid.ts), plans, runs one job, submits to a cluster, or collects.
 *
 * @example
 * ```sh
 * deno task fer reproduce table5 --fast --dry-run
 * deno task fer reproduce table4 --report-only --peers   # table from existing runs + live peers
 * deno task fer reproduce table5 --fast --plan --submit print   # the Slurm array script of the grid
 * ```
 * @module
 */
import { type Command, flags, numberFlag, oneOf, RUNS_FLAG } from "./command.ts";
import { resolve } from "node:path";
import type { RuntimeRequest } from "../backend/runtime.ts";
import { parseRuntime } from "../backend/runtime_flags.ts";
import { defaultRunsDir } from "../experiment/record.ts";
import { checkRecord, checkText } from "../grid/check.ts";
import { clusterSettings } from "../grid/cluster.ts";
import { collect, type GridFlags, planText, runJob, submit } from "../grid/jobs.ts";
import { overrideExperiment } from "../grid/plan.ts";
import { reproduceRows } from "../grid/sequential.ts";
import type { PeerEvalReport } from "../peers/peers.ts";
import { describeExperiment, planTable } from "../report/experiments.ts";
import { TABLE_IDS, type TableId } from "../report/paper_numbers.ts";
import { RESULTS_RUNS } from "../report/runs.ts";
import { buildTable, tableMarkdown, type TableResult, writeTable } from "../report/tables.ts";
import { readingMarkdown, REFERENCE_ROWS } from "../report/reading.ts";

const HELP = `usage: deno task fer reproduce <table-id> [options]

table-id: ${TABLE_IDS.join(", ")}

options:
  --fast          tiny width, few samples and epochs (CI); runs are flagged as fast in the tables
  --cpu           CPU-sized profile, whole data and protocol: CK+ and the other lab sets with the "cpu" recipe
                  (SGD Nesterov, cosine, weight decay) at 48x48 width 0.5 for 40 epochs; FER2013 at 48x48
                  width 0.25 for 6 epochs (Adam, cosine, crops + flips, label smoothing, ten-crop, fp32:
                  issue 27's frozen profile); the tables show each run's input size and width
  --dry-run       print the plan (one line per configuration) and exit
  --report-only   do not train: rebuild the table from the run records and write it
                  (outputs/runs and the committed results/runs; with --runs-dir, that folder only)
  --rows A,B      only these rows (--row: the same)
  --folds K       k-fold rows use K folds     --epochs N   train N epochs
  --seed N        the training seed (weights, batches, augmentation; folds keep the row's assignment)
  --rerun         train even when a finished run of the same experiment exists (the paper's full model
                  is a row of Tables 1-4: one run serves them all unless you ask again)
  --peers         (table4) evaluate both peers live on FER2013 PublicTest and add their rows
  --peer-limit N  evaluate the peers on an evenly spaced subset of N images
  --root DIR      the dataset folder (JAFFE, Oulu-CASIA, NCUFE: your copy; default: FER_DATA or ../shared/datasets)
  --device DEV    torch's device (cpu, cuda, cuda:N): the backend becomes torch
  --precision P   torch's conv/matmul precision: fp32 (default), bf16 (GPUs; CPUs with AVX-512 BF16/AMX: on
                  other CPUs it would be emulated, ~18x slower, and runs fp32 with a warning), tf32 (NVIDIA),
                  auto (--cpu's default: bf16 on a CPU with bf16 instructions, else fp32; fp32 on CUDA);
                  the run records name the precision that ran, with the backend
  --runs-dir DIR  run records (default outputs/runs)
  --out DIR       where tables go (default outputs/tables)

the grid (one job per row, fold and seed; see the README's "On a cluster"):
  --plan          list the jobs, their state (new, resume, done; shared: another row's run of the same
                  experiment serves it, and it is not run again) and each one's command
  --seeds N       N training seeds per row and fold: --seed (or the row's) and the next N-1
  --submit HOW    slurm: write an sbatch array script (one task per job not done) and a collect job,
                  and submit both; print: print the scripts; k8s: print an Indexed Job manifest
  --collect       assemble the jobs' records, write the table; exit 1 naming jobs not done
  --fold I --hash H   (with one --row) run one job of the plan into --runs-dir; a done or shared job
                  is skipped, a started one resumes from its checkpoint
  --partition P --account A --sbatch LINE (repeatable) --cpus N --time [D-]HH:MM:SS --max-parallel N
  --image IMG --namespace NS   (k8s)
  --cluster-config FILE   these settings as JSON (default ./fer-cluster.json when present); options win

records (results/runs/: the engine's run.json of each reported run, without weights):
  --keep          copy each finished run's record to results/runs/<run id>.json; with --collect, every
                  finished record of the grid: each (row, seed)'s and each row's mean over --seeds
  --check FILE    train one fold of a record again (its config, protocol and seed; the data must match its
                  content hash) and compare with the recorded fold; exit 1 when they differ by more than
                  --tolerance points (default: twice the fold's binomial standard error). --fold K picks
                  the fold (default: the record's first); --root, --runs-dir, --device, --precision apply`;

/** The flags of `fer reproduce`: one table, read once; each mode below takes what it needs from it. */
const FLAGS = {
  ...RUNS_FLAG,
  fast: { type: "boolean" },
  cpu: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "report-only": { type: "boolean" },
  row: { type: "string" },
  rows: { type: "string" },
  folds: { type: "string" },
  epochs: { type: "string" },
  seed: { type: "string" },
  seeds: { type: "string" },
  rerun: { type: "boolean" },
  peers: { type: "boolean" },
  "peer-limit": { type: "string" },
  root: { type: "string" },
  device: { type: "string" },
  precision: { type: "string" },
  out: { type: "string" },
  plan: { type: "boolean" },
  submit: { type: "string" },
  collect: { type: "boolean" },
  fold: { type: "string" },
  hash: { type: "string" },
  partition: { type: "string" },
  account: { type: "string" },
  sbatch: { type: "string", multiple: true },
  cpus: { type: "string" },
  time: { type: "string" },
  "max-parallel": { type: "string" },
  image: { type: "string" },
  namespace: { type: "string" },
  "cluster-config": { type: "string" },
  check: { type: "string" },
  tolerance: { type: "string" },
  keep: { type: "boolean" },
} as const;

/** The flags' values as {@link flags} reads them from {@link FLAGS}. */
type Values = NonNullable<ReturnType<typeof flags<typeof FLAGS>>>["values"];

const positive = (v: string | undefined, flag: string) => numberFlag(v, flag, { integer: true, min: 1 });

/** `--check FILE`: one fold of a committed record trained again and compared (lib/grid/check.ts). */
async function checkMode(file: string, v: Values, runtime: RuntimeRequest): Promise<number> {
  const c = await checkRecord(file, {
    fold: numberFlag(v.fold, "fold", { integer: true, min: 1 }),
    tolerance: numberFlag(v.tolerance, "tolerance", { min: 0 }),
    root: v.root,
    runsDir: v["runs-dir"],
    runtime,
  });
  console.log(checkText(c));
  return c.ok ? 0 : 1;
}

/** The one table id among the positionals, or null after saying what was expected. */
function tableOf(positionals: string[]): TableId | null {
  const table = positionals[0];
  if (!table || positionals.length > 1 || !(TABLE_IDS as readonly string[]).includes(table)) {
    console.error(`fer reproduce: expected one table id (${TABLE_IDS.join(", ")}), got ${JSON.stringify(positionals)}`);
    return null;
  }
  return table as TableId;
}

/** What every mode of a table shares: the profile, rows, overrides, folders and runtime (lib/grid/jobs.ts). */
function gridFlags(table: TableId, v: Values, runtime: RuntimeRequest): GridFlags {
  const overrides = {
    k: positive(v.folds, "folds"),
    epochs: positive(v.epochs, "epochs"),
    seed: numberFlag(v.seed, "seed", { integer: true }),
  };
  const rows = v.rows ?? v.row;
  return {
    table,
    fast: v.fast === true,
    cpu: v.cpu === true,
    rows: rows?.split(",").map((r) => r.trim()),
    seeds: positive(v.seeds, "seeds"),
    overrides,
    runsDir: resolve(v["runs-dir"] ?? defaultRunsDir()),
    root: v.root && resolve(v.root),
    runtime,
    out: v.out ?? "outputs/tables",
  };
}

/** `--fold I --hash H` (with one --row): one job of the grid. */
async function jobMode(grid: GridFlags, v: Values): Promise<number> {
  if (v.hash === undefined) throw new Error("--fold runs one job of a plan: give its --hash too");
  return await runJob(grid, positive(v.fold, "fold"), v.hash);
}

/** A FER2013 table's reading against its complete network (lib/report/reading.ts); nothing for the others. */
const readingBlock = (t: TableResult) => REFERENCE_ROWS[t.id] ? `\n#### Reading\n\n${readingMarkdown(t)}` : "";

/** `--collect`: the grid's records as its table; exit 1 naming the jobs not done. */
async function collectMode(grid: GridFlags, keep: boolean): Promise<number> {
  const c = await collect(grid, keep ? RESULTS_RUNS : undefined);
  console.log(tableMarkdown(c.table, grid.out) + readingBlock(c.table));
  console.error(`wrote ${c.files.md} and ${c.files.csv}`);
  for (const k of c.kept) console.error(`kept ${k}`);
  if (c.missing.length === 0) return 0;
  console.error(`${c.missing.length} of ${c.jobs} job(s) not done:`);
  for (const m of c.missing) console.error(`  ${m}`);
  return 1;
}

/** `--submit HOW`: the grid's scripts, submitted to Slurm or printed (lib/grid/cluster.ts has the settings). */
async function submitMode(grid: GridFlags, how: "slurm" | "print" | "k8s", v: Values): Promise<number> {
  const settings = await clusterSettings({
    partition: v.partition,
    account: v.account,
    sbatch: v.sbatch,
    cpus: positive(v.cpus, "cpus"),
    time: v.time,
    maxParallel: positive(v["max-parallel"], "max-parallel"),
    image: v.image,
    namespace: v.namespace,
  }, v["cluster-config"]);
  const { out, note } = await submit(grid, how, settings);
  if (note && how !== "slurm") console.error(note);
  console.log(out);
  if (note && how === "slurm") console.error(note);
  return 0;
}

/** `--plan`: the grid's jobs, each with its state and its command. */
async function planMode(grid: GridFlags): Promise<number> {
  console.log(await planText(grid));
  return 0;
}

/**
 * The table's rows in this process: listed (`--dry-run`), trained unless `--report-only`, then the table
 * rebuilt from the run records, with the peers evaluated live on `--peers`.
 */
async function sequentialMode(grid: GridFlags, v: Values): Promise<number> {
  const { table, fast, cpu } = grid;
  if (grid.seeds !== undefined) throw new Error("--seeds makes a grid: use it with --plan, --submit or --collect");
  const plan = (await planTable(table, { fast, cpu })).filter((r) => !grid.rows || grid.rows.includes(r.config.row))
    .map((r) => overrideExperiment(r, grid.overrides));
  if (grid.rows) {
    const missing = grid.rows.filter((r) => !plan.some((p) => p.config.row === r));
    if (missing.length) throw new Error(`${table} has no row "${missing.join('", "')}"`);
  }
  if (v["dry-run"]) {
    const mode = fast ? " (fast mode)" : cpu ? " (cpu profile)" : "";
    console.log(`plan for ${table}${mode}: ${plan.length} configuration(s)`);
    for (const r of plan) console.log(`  ${describeExperiment(r)}`);
    return 0;
  }
  if (!v["report-only"]) {
    await reproduceRows(plan, {
      runsDir: grid.runsDir,
      root: v.root,
      runtime: grid.runtime,
      rerun: v.rerun,
      keep: v.keep,
    });
  }
  let peers: PeerEvalReport[] | undefined;
  if (v.peers) {
    if (table !== "table4") throw new Error("--peers applies to table4 (FER2013) only");
    const { evaluatePeer } = await import("../peers/peers.ts");
    const limit = positive(v["peer-limit"], "peer-limit");
    peers = [];
    for (const p of ["human", "face-api"] as const) peers.push(await evaluatePeer(p, { limit }));
  }
  // without --runs-dir the committed records count too: the table is rebuilt from them without training
  const t = await buildTable(table, { runsDir: v["runs-dir"] ? grid.runsDir : [grid.runsDir, RESULTS_RUNS], peers });
  const { md, csv } = await writeTable(t, grid.out);
  console.log(tableMarkdown(t, grid.out) + readingBlock(t));
  console.error(`wrote ${md} and ${csv}`);
  return 0;
}

/** The reproduce command: reads the flags once, then hands them to the one mode they ask for. */
export const command: Command = {
  name: "reproduce",
  summary: "run the experiment configs of one paper table and write the table (Markdown + CSV)",
  async run(args) {
    const f = flags(args, FLAGS, { help: HELP, positionals: true });
    if (!f) return 0;
    const v = f.values;
    const runtime = parseRuntime({ device: v.device, precision: v.precision });
    if (v.check !== undefined) return await checkMode(v.check, v, runtime);
    const table = tableOf(f.positionals);
    if (!table) return 2;
    const grid = gridFlags(table, v, runtime);
    const how = oneOf(v.submit, "submit", ["slurm", "print", "k8s"] as const);
    if (v.hash !== undefined || v.fold !== undefined) return await jobMode(grid, v);
    if (v.collect) return await collectMode(grid, v.keep === true);
    if (how) return await submitMode(grid, how, v);
    if (v.plan) return await planMode(grid);
    return await sequentialMode(grid, v);
  },
};
