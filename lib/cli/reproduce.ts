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
import { parseRuntime, type RuntimeRequest } from "../backend/runtime.ts";
import { defaultRunsDir } from "../experiment/record.ts";
import { checkRecord, checkText } from "../grid/check.ts";
import { clusterSettings } from "../grid/cluster.ts";
import { collect, type GridFlags, planText, runJob, submit } from "../grid/jobs.ts";
import { type GridOverrides, overrideExperiment } from "../grid/plan.ts";
import { reproduceRows } from "../grid/sequential.ts";
import type { PeerEvalReport } from "../peers/peers.ts";
import { describeExperiment, planTable } from "../report/experiments.ts";
import { TABLE_IDS, type TableId } from "../report/paper_numbers.ts";
import { RESULTS_RUNS } from "../report/runs.ts";
import { buildTable, tableMarkdown, writeTable } from "../report/tables.ts";

const HELP = `usage: deno task fer reproduce <table-id> [options]

table-id: ${TABLE_IDS.join(", ")}

options:
  --fast          tiny width, few samples and epochs (CI); runs are flagged as fast in the tables
  --cpu           CPU-sized profile: whole data and protocol, the "cpu" recipe (SGD Nesterov, cosine, weight
                  decay); CK+ and the other lab sets at 48x48 width 0.5 for 40 epochs, FER2013 at 48x48
                  width 0.125 for 15 epochs; the tables show each run's input size and width
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
  --plan          list the jobs, their state (new, resume, done) and each one's command
  --seeds N       N training seeds per row and fold: --seed (or the row's) and the next N-1
  --submit HOW    slurm: write an sbatch array script (one task per job not done) and a collect job,
                  and submit both; print: print the scripts; k8s: print an Indexed Job manifest
  --collect       assemble the jobs' records, write the table; exit 1 naming jobs not done
  --fold I --hash H   (with one --row) run one job of the plan into --runs-dir; a done job is
                  skipped, a started one resumes from its checkpoint
  --partition P --account A --sbatch LINE (repeatable) --cpus N --time [D-]HH:MM:SS --max-parallel N
  --image IMG --namespace NS   (k8s)
  --cluster-config FILE   these settings as JSON (default ./fer-cluster.json when present); options win

records (results/runs/: the engine's run.json of each reported run, without weights):
  --keep          copy each finished run's record to results/runs/<run id>.json
  --check FILE    train one fold of a record again (its config, protocol and seed; the data must match its
                  content hash) and compare with the recorded fold; exit 1 when they differ by more than
                  --tolerance points (default: twice the fold's binomial standard error). --fold K picks
                  the fold (default: the record's first); --root, --runs-dir, --device, --precision apply`;

/** `--check FILE`: one fold of a committed record trained again and compared (lib/grid/check.ts). */
async function check(
  file: string,
  v: { fold?: string; tolerance?: string; root?: string; "runs-dir"?: string },
  runtime: RuntimeRequest,
): Promise<number> {
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

const positive = (v: string | undefined, flag: string) => numberFlag(v, flag, { integer: true, min: 1 });

/** The reproduce command. */
export const command: Command = {
  name: "reproduce",
  summary: "run the experiment configs of one paper table and write the table (Markdown + CSV)",
  async run(args) {
    const f = flags(args, {
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
    }, { help: HELP, positionals: true });
    if (!f) return 0;
    const { values, positionals } = f;
    const runtime = parseRuntime({ device: values.device, precision: values.precision });
    if (values.check !== undefined) return await check(values.check, values, runtime);
    const table = positionals[0];
    if (!table || positionals.length > 1 || !(TABLE_IDS as readonly string[]).includes(table)) {
      console.error(
        `fer reproduce: expected one table id (${TABLE_IDS.join(", ")}), got ${JSON.stringify(positionals)}`,
      );
      return 2;
    }
    const fast = values.fast === true, cpu = values.cpu === true;
    const overrides: GridOverrides = {
      k: positive(values.folds, "folds"),
      epochs: positive(values.epochs, "epochs"),
      seed: numberFlag(values.seed, "seed", { integer: true }),
    };
    const rowList = values.rows ?? values.row;
    const runsDir = resolve(values["runs-dir"] ?? defaultRunsDir());
    const grid: GridFlags = {
      table: table as TableId,
      fast,
      cpu,
      rows: rowList?.split(",").map((r) => r.trim()),
      seeds: positive(values.seeds, "seeds"),
      overrides,
      runsDir,
      root: values.root && resolve(values.root),
      runtime,
      out: values.out ?? "outputs/tables",
    };
    const how = oneOf(values.submit, "submit", ["slurm", "print", "k8s"] as const);
    if (values.hash !== undefined || values.fold !== undefined) {
      if (values.hash === undefined) throw new Error("--fold runs one job of a plan: give its --hash too");
      return await runJob(grid, positive(values.fold, "fold"), values.hash);
    }
    if (values.collect) {
      const c = await collect(grid);
      console.log(tableMarkdown(c.table, grid.out));
      console.error(`wrote ${c.files.md} and ${c.files.csv}`);
      if (c.missing.length === 0) return 0;
      console.error(`${c.missing.length} of ${c.jobs} job(s) not done:`);
      for (const m of c.missing) console.error(`  ${m}`);
      return 1;
    }
    if (how) {
      const settings = await clusterSettings({
        partition: values.partition,
        account: values.account,
        sbatch: values.sbatch,
        cpus: positive(values.cpus, "cpus"),
        time: values.time,
        maxParallel: positive(values["max-parallel"], "max-parallel"),
        image: values.image,
        namespace: values.namespace,
      }, values["cluster-config"]);
      const { out, note } = await submit(grid, how, settings);
      if (note && how !== "slurm") console.error(note);
      console.log(out);
      if (note && how === "slurm") console.error(note);
      return 0;
    }
    if (values.plan) {
      console.log(await planText(grid));
      return 0;
    }
    if (grid.seeds !== undefined) throw new Error("--seeds makes a grid: use it with --plan, --submit or --collect");
    const plan = (await planTable(table as TableId, { fast, cpu })).filter((r) =>
      !grid.rows || grid.rows.includes(r.config.row)
    )
      .map((r) => overrideExperiment(r, overrides));
    if (grid.rows) {
      const missing = grid.rows.filter((r) => !plan.some((p) => p.config.row === r));
      if (missing.length) throw new Error(`${table} has no row "${missing.join('", "')}"`);
    }
    if (values["dry-run"]) {
      const mode = fast ? " (fast mode)" : cpu ? " (cpu profile)" : "";
      console.log(`plan for ${table}${mode}: ${plan.length} configuration(s)`);
      for (const r of plan) console.log(`  ${describeExperiment(r)}`);
      return 0;
    }
    if (!values["report-only"]) {
      await reproduceRows(plan, { runsDir, root: values.root, runtime, rerun: values.rerun, keep: values.keep });
    }
    let peers: PeerEvalReport[] | undefined;
    if (values.peers) {
      if (table !== "table4") throw new Error("--peers applies to table4 (FER2013) only");
      const { evaluatePeer } = await import("../peers/peers.ts");
      const limit = positive(values["peer-limit"], "peer-limit");
      peers = [];
      for (const p of ["human", "face-api"] as const) peers.push(await evaluatePeer(p, { limit }));
    }
    // without --runs-dir the committed records count too: the table is rebuilt from them without training
    const t = await buildTable(table as TableId, {
      runsDir: values["runs-dir"] ? runsDir : [runsDir, RESULTS_RUNS],
      peers,
    });
    const { md, csv } = await writeTable(t, grid.out);
    console.log(tableMarkdown(t, grid.out));
    console.error(`wrote ${md} and ${csv}`);
    return 0;
  },
};
