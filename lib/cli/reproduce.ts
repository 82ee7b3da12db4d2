/**
 * `deno task fer reproduce <table-id> [--fast] [--dry-run] [--report-only]`: lists or executes the
 * experiment configs of one paper table, then regenerates the table from the run records.
 *
 * @example
 * ```sh
 * deno task fer reproduce table5 --fast --dry-run
 * deno task fer reproduce table4 --report-only --peers   # table from existing runs + live peers
 * ```
 * @module
 */
import { type Command, parse } from "./command.ts";
import { describeExperiment, planTable } from "../report/experiments.ts";
import { TABLE_IDS, type TableId } from "../report/paper_numbers.ts";
import { buildTable, tableMarkdown, writeTable } from "../report/tables.ts";
import { executeExperiment } from "../report/execute.ts";
import { readRuns, runAccuracy } from "../report/runs.ts";
import { sameExperimentRun } from "../report/identity.ts";
import { defaultRunsDir } from "../experiment/record.ts";
import type { PeerEvalReport } from "../peers/peers.ts";

const HELP = `usage: deno task fer reproduce <table-id> [options]

table-id: ${TABLE_IDS.join(", ")}

options:
  --fast          tiny width, few samples and epochs (CI); runs are flagged as fast in the tables
  --cpu           CPU-sized profile: whole data and protocol, the "cpu" recipe (SGD Nesterov, cosine, weight
                  decay); CK+ and the other lab sets at 48x48 width 0.25 for 40 epochs, FER2013 at 48x48
                  width 0.125 for 15 epochs; the tables show each run's input size and width
  --dry-run       print the plan (one line per configuration) and exit
  --report-only   do not train: rebuild the table from outputs/runs and write it
  --row ROW       only this row's configuration
  --rerun         train even when a finished run of the same experiment exists (the paper's full model
                  is a row of Tables 1-4: one run serves them all unless you ask again)
  --peers         (table4) evaluate both peers live on FER2013 PublicTest and add their rows
  --peer-limit N  evaluate the peers on an evenly spaced subset of N images
  --root DIR      the dataset folder (JAFFE, Oulu-CASIA, NCUFE: your copy; default: FER_DATA or ../shared/datasets)
  --runs-dir DIR  run records (default outputs/runs)
  --out DIR       where tables go (default outputs/tables)`;

/** The reproduce command. */
export const command: Command = {
  name: "reproduce",
  summary: "run the experiment configs of one paper table and write the table (Markdown + CSV)",
  async run(args) {
    const { values, positionals } = parse(args, {
      fast: { type: "boolean" },
      cpu: { type: "boolean" },
      "dry-run": { type: "boolean" },
      "report-only": { type: "boolean" },
      row: { type: "string" },
      rerun: { type: "boolean" },
      peers: { type: "boolean" },
      "peer-limit": { type: "string" },
      "runs-dir": { type: "string" },
      root: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    }, true);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const table = positionals[0];
    if (!table || positionals.length > 1 || !(TABLE_IDS as readonly string[]).includes(table)) {
      console.error(
        `fer reproduce: expected one table id (${TABLE_IDS.join(", ")}), got ${JSON.stringify(positionals)}`,
      );
      return 2;
    }
    const fast = values.fast === true, cpu = values.cpu === true;
    const plan = await planTable(table as TableId, { fast, cpu, row: values.row });
    if (values["dry-run"]) {
      const mode = fast ? " (fast mode)" : cpu ? " (cpu profile)" : "";
      console.log(`plan for ${table}${mode}: ${plan.length} configuration(s)`);
      for (const r of plan) console.log(`  ${describeExperiment(r)}`);
      return 0;
    }
    const runsDir = values["runs-dir"] ?? defaultRunsDir();
    if (!values["report-only"]) {
      for (const [i, r] of plan.entries()) {
        console.error(`[${i + 1}/${plan.length}] ${describeExperiment(r)}`);
        const prior = values.rerun ? null : sameExperimentRun(await readRuns(runsDir), r);
        if (prior) {
          const tag = prior.record.experiment
            ? ` (${prior.record.experiment.table}/${prior.record.experiment.row})`
            : "";
          console.error(`  same experiment already run: ${prior.record.id}${tag}; not training again (--rerun does)`);
          continue;
        }
        const { record } = await executeExperiment(r, { root: values.root, runsDir: values["runs-dir"] });
        const acc = runAccuracy(record);
        console.error(
          `  run ${record.id}: ${record.status}${acc ? `, accuracy ${(100 * acc.accuracy).toFixed(2)}%` : ""}`,
        );
      }
    }
    let peers: PeerEvalReport[] | undefined;
    if (values.peers) {
      if (table !== "table4") throw new Error("--peers applies to table4 (FER2013) only");
      const { evaluatePeer } = await import("../peers/peers.ts");
      const limit = values["peer-limit"] ? Number(values["peer-limit"]) : undefined;
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
        throw new Error(`--peer-limit must be a positive integer, got "${values["peer-limit"]}"`);
      }
      peers = [];
      for (const p of ["human", "face-api"] as const) peers.push(await evaluatePeer(p, { limit }));
    }
    const t = await buildTable(table as TableId, { runsDir, peers });
    const { md, csv } = await writeTable(t, values.out ?? "outputs/tables");
    console.log(tableMarkdown(t, values.out ?? "outputs/tables"));
    console.error(`wrote ${md} and ${csv}`);
    return 0;
  },
};
