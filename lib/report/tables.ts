/**
 * One function per paper table: our measured values (from run records) beside the paper's reported
 * ones, other methods' reported numbers, and (FER2013) the peers measured live. A row without a
 * finished run says "not run" — never a number we did not measure.
 *
 * @example
 * ```ts
 * const t = await table5({ runsDir: "outputs/runs" });
 * await writeTable(t, "outputs/tables"); // table5.md + table5.csv
 * ```
 * @module
 */
import { join, relative } from "node:path";
import { type ExperimentConfig, EXPERIMENTS_DIR, loadExperiments, resolveExperiment } from "./experiments.ts";
import { sameExperimentRun } from "./identity.ts";
import { needsUserData, type Protocol } from "../experiment/spec.ts";
import type { ShipRecord } from "../experiment/card.ts";
import type { RunRecord } from "../experiment/record.ts";
import { PAPER_TABLES, type TableId } from "./paper_numbers.ts";
import { latestRunFor, type LoadedRun, readRuns, RESULTS_RUNS, runAccuracy } from "./runs.ts";
import type { PeerEvalReport } from "../peers/peers.ts";
import { projectRoot, readJsonFile } from "../util/mod.ts";
import { binomialSe, faceCount } from "./noise.ts";

/** Where a row's number comes from. */
export type RowSource = "ours" | "other-method" | "peer";

/** One row of a reproduced table; accuracies in percent. */
export interface TableRow {
  source: RowSource;
  /** Experiment row (ours), paper row key (other methods) or peer name. */
  key: string;
  label: string;
  protocol: string;
  /** The paper's reported accuracy for this row, if it reports one. */
  paper: number | null;
  /** Our measured accuracy, null when not measured. */
  measured: number | null;
  /** Std over folds (k-fold) or over seeds (a grid's mean), percent. */
  std?: number;
  /** The binomial standard error of one run's accuracy on the split's test faces, points (split protocols). */
  se?: number;
  status: "measured" | "not run" | "reported only" | "needs user data";
  runId?: string;
  /** The measured run's record: `<run folder>/run.json`, or a committed `results/runs/<name>.json`. */
  runFile?: string;
  epochs?: number;
  backend?: string;
  fast?: boolean;
  /** Input size and width of the measured network, e.g. "48px ×0.125" (the paper: 256px ×1). */
  model?: string;
  /** The measured run was made for another row of the same experiment, e.g. "table2/complete". */
  runOf?: string;
}

/** A reproduced table. */
export interface TableResult {
  id: TableId;
  title: string;
  dataset: string;
  /** The paper's own description of its protocol. */
  paperProtocol: string;
  note?: string;
  rows: TableRow[];
}

/** Options of the table functions. */
export interface TableOptions {
  /** Where the run records are (default: outputs/runs and the committed records of results/runs). */
  runsDir?: string | string[];
  experimentsDir?: string;
  /** Peer evaluations on this table's dataset and split (FER2013 tables), measured live or read from a record. */
  peers?: PeerEvalReport[];
  /** The record `peers` come from (e.g. results/peers/fer2013-publictest.json): the peer rows cite it. */
  peersRecord?: string;
  /** A shipped model's ship record (e.g. results/shipped/fer2013.json): a row for it, ten-crop on its split. */
  shipped?: string;
}

/** The row of a shipped model, from its ship record and the run record that record names. */
async function shippedRow(file: string): Promise<TableRow> {
  const ship = await readJsonFile(file, "a ship record (written by tools/ship_model.ts)") as ShipRecord;
  const root = projectRoot();
  const run = await readJsonFile(join(root, ship.record), "the run record a ship record names") as RunRecord;
  const e = ship.shipped.tencrop;
  return {
    source: "ours",
    key: `shipped:${ship.name}`,
    label: `ours, trained on 2 CPU cores: the shipped model ${ship.name} (${ship.weights}, ten-crop)`,
    protocol: `${protocolText(run.protocol)}; last epoch of a fixed schedule`,
    paper: null,
    measured: pct(e.accuracy),
    ...seOf(e.accuracy, faceCount(e)),
    status: "measured",
    runId: relative(root, file),
    runFile: file,
    epochs: run.config.train.epochs,
    backend: run.backend,
    model: modelText(run.config.model),
  };
}

const pct = (x: number) => Math.round(x * 10000) / 100;

/** `{ se }` in points, two decimals, when the test faces are known. */
const seOf = (accuracy: number, n: number | null): { se?: number } =>
  n === null ? {} : { se: Math.round(binomialSe(accuracy, n) * 100) / 100 };

/** A run of this exact experiment made for another table row, at the paper's setting, the CPU profile or fast. */
function sharedRun(runs: LoadedRun[], e: ExperimentConfig): LoadedRun | null {
  for (const profile of [{ fast: false }, { fast: false, cpu: true }, { fast: true }]) {
    const found = sameExperimentRun(runs, resolveExperiment(e, profile));
    if (found) return found;
  }
  return null;
}

function protocolText(p: Protocol) {
  return p.kind === "split"
    ? `train ${p.train}, report ${p.test ?? p.val}`
    : `${p.k}-fold, ${p.by === "subject" ? "subject-independent" : "random"}`;
}

/** Builds any table from the run records (the per-table functions below call this). */
export async function buildTable(id: TableId, opts: TableOptions = {}): Promise<TableResult> {
  const paper = PAPER_TABLES[id];
  const runs = await readRuns(opts.runsDir ?? ["outputs/runs", RESULTS_RUNS]);
  const order = (e: ExperimentConfig) =>
    paper.rows.findIndex((r) => r.key === e.paperRow) * 2 +
    (e.spec.protocol.kind === "kfold" && e.spec.protocol.by === "random" ? 1 : 0);
  // the paper's row order; subject-independent before random
  const exps = (await loadExperiments(id, opts.experimentsDir ?? EXPERIMENTS_DIR)).sort((a, b) => order(a) - order(b));
  const rows: TableRow[] = [];
  for (const r of paper.rows.filter((r) => !r.ours)) {
    rows.push({
      source: "other-method",
      key: r.key,
      label: r.label,
      protocol: "as reported",
      paper: r.accuracy,
      measured: null,
      status: "reported only",
    });
  }
  for (const e of exps) {
    const found = latestRunFor(runs, id, e.row) ?? sharedRun(runs, e);
    const base: TableRow = {
      source: "ours",
      key: e.row,
      label: e.label,
      protocol: protocolText(e.spec.protocol),
      paper: paper.rows.find((r) => r.key === e.paperRow)?.accuracy ?? null,
      measured: null,
      status: needsUserData(e.spec.dataset) ? "needs user data" : "not run",
    };
    if (found) {
      const acc = runAccuracy(found.record)!;
      base.measured = pct(acc.accuracy);
      if (acc.std !== undefined) base.std = pct(acc.std);
      if (found.record.protocol.kind === "split") {
        // a mean over seeds has no confusion matrix of its own: its parts' test faces
        const parts = (found.record.job?.parts ?? []).map((id) => runs.find((r) => r.record.id === id)?.record.result);
        Object.assign(base, seOf(acc.accuracy, [found.record.result, ...parts].map(faceCount).find((n) => n) ?? null));
      }
      base.status = "measured";
      // what the run measured: its own protocol (a grid may change k), over seeds when it is a mean of several
      const seeds = found.record.job?.seeds;
      base.protocol = protocolText(found.record.protocol) + (seeds ? `; mean ± std over ${seeds.length} seeds` : "");
      base.runId = found.record.id;
      base.runFile = found.file;
      // run.json's `epochs` counts every fold's epochs; the configured epochs per model are what a reader compares
      base.epochs = (found.record.config?.train as { epochs?: number } | undefined)?.epochs ?? found.record.epochs;
      base.backend = found.record.backend;
      base.fast = found.record.experiment?.fast === true;
      base.model = modelText(found.record.config?.model);
      const tag = found.record.experiment;
      if (tag && (tag.table !== id || tag.row !== e.row)) base.runOf = `${tag.table}/${tag.row}`;
    }
    rows.push(base);
  }
  for (const r of paper.rows.filter((r) => r.ours && !exps.some((e) => e.paperRow === r.key))) {
    rows.push({
      source: "ours",
      key: r.key,
      label: r.label,
      protocol: "no configuration: not reproducible with public data",
      paper: r.accuracy,
      measured: null,
      status: "not run",
    });
  }
  for (const p of opts.peers ?? []) {
    rows.push({
      source: "peer",
      key: p.peer,
      label: `${p.peer === "human" ? "@vladmandic/human emotion" : "@vladmandic/face-api expression"} (pretrained${
        opts.peersRecord ? "" : ", run live"
      })`,
      protocol: `pretrained; evaluated on ${p.split} (${p.n} images)`,
      paper: null,
      measured: pct(p.accuracy),
      ...seOf(p.accuracy, p.n),
      status: "measured",
      backend: p.backend,
      ...(opts.peersRecord ? { runId: relative(projectRoot(), opts.peersRecord), runFile: opts.peersRecord } : {}),
    });
  }
  if (opts.shipped) rows.push(await shippedRow(opts.shipped));
  return { id, title: paper.title, dataset: paper.dataset, paperProtocol: paper.protocol, note: paper.note, rows };
}

/** Table 1: LBP kinds on FER2013. */
export const table1 = (o?: TableOptions) => buildTable("table1", o);
/** Table 2: module ablations on FER2013. */
export const table2 = (o?: TableOptions) => buildTable("table2", o);
/** Table 3: dilation sets A–E on FER2013. */
export const table3 = (o?: TableOptions) => buildTable("table3", o);
/** Table 4: FER2013 comparison (pass `peers` for the live peer rows). */
export const table4 = (o?: TableOptions) => buildTable("table4", o);
/** Table 5: CK+ (subject-independent and random 5-fold). */
export const table5 = (o?: TableOptions) => buildTable("table5", o);
/** Table 6: Oulu-CASIA (needs user data). */
export const table6 = (o?: TableOptions) => buildTable("table6", o);
/** Table 7: JAFFE (needs user data). */
export const table7 = (o?: TableOptions) => buildTable("table7", o);
/** Table 8: NCUFE (needs user data). */
export const table8 = (o?: TableOptions) => buildTable("table8", o);

/** One row of the random-vs-subject comparison; percent, inflation = random − subject. */
export interface FoldComparison {
  variant: string;
  subject: number | null;
  random: number | null;
  inflation: number | null;
  paper: number | null;
}

/** Pairs each k-fold variant's subject-independent and random rows (Tables 5–8). */
export function foldComparison(t: TableResult): FoldComparison[] {
  const ours = t.rows.filter((r) => r.source === "ours");
  const variants = [...new Set(ours.map((r) => r.key.replace(/-(subject|random)$/, "")))];
  return variants.map((v) => {
    const s = ours.find((r) => r.key === `${v}-subject`);
    const r = ours.find((x) => x.key === `${v}-random`);
    const subject = s?.measured ?? null, random = r?.measured ?? null;
    return {
      variant: v,
      subject,
      random,
      inflation: subject !== null && random !== null ? Math.round((random - subject) * 100) / 100 : null,
      paper: s?.paper ?? r?.paper ?? null,
    };
  });
}

/** The random-vs-subject comparison as Markdown ("not run" where a side is missing). */
export function foldComparisonMarkdown(rows: FoldComparison[]): string {
  const f = (v: number | null) => v === null ? "not run" : v.toFixed(2);
  const lines = [
    "| Variant | Subject-independent 5-fold (%) | Random 5-fold (%) | Inflation (random − subject, points) | Paper (%) |",
    "|---|---|---|---|---|",
    ...rows.map((r) =>
      `| ${r.variant} | ${f(r.subject)} | ${f(r.random)} | ${r.inflation === null ? "—" : r.inflation.toFixed(2)} | ${
        r.paper === null ? "—" : r.paper.toFixed(2)
      } |`
    ),
  ];
  return lines.join("\n") + "\n";
}

function modelText(model: unknown): string | undefined {
  const m = model as { inputSize?: unknown; width?: unknown } | undefined;
  if (typeof m?.inputSize !== "number" || typeof m?.width !== "number") return undefined;
  return `${m.inputSize}px ×${m.width}`;
}

function cell(r: TableRow): string {
  if (r.measured === null) return r.status;
  return r.std !== undefined ? `${r.measured.toFixed(2)} ± ${r.std.toFixed(2)}` : r.measured.toFixed(2);
}

/**
 * The table as Markdown. A measured row names its run; the id links to the run's `run.json` relative to
 * `linkBase` (the folder the Markdown is written to), or is plain code when `linkBase` is null, as in a
 * notebook: run records live under the git-ignored `outputs/`, so a link there would not resolve in the
 * repository.
 *
 * @example
 * ```ts
 * tableMarkdown(t, "outputs/tables"); // "… | [20261128-…](../runs/20261128-…/run.json) | …"
 * tableMarkdown(t, null); // "… | `20261128-…` | …"
 * ```
 */
export function tableMarkdown(t: TableResult, linkBase: string | null = "outputs/tables"): string {
  const lines = [
    `### ${t.title}`,
    "",
    "| Method | Source | Protocol | Paper (%) | Ours, measured (%) | SE (points) | Run | Model (input, width) | Epochs | Backend | Fast mode |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of t.rows) {
    const id = !r.runId || !r.runFile
      ? ""
      : linkBase === null
      ? `\`${r.runId}\``
      : `[${r.runId}](${relative(linkBase, r.runFile)})`;
    const run = id && r.runOf ? `${id} (run for ${r.runOf})` : id;
    lines.push(
      `| ${r.label} | ${r.source} | ${r.protocol} | ${r.paper === null ? "—" : r.paper.toFixed(2)} | ${cell(r)} | ${
        r.se === undefined ? "" : r.se.toFixed(2)
      } | ${run} | ${r.model ?? ""} | ${r.epochs ?? ""} | ${r.backend ?? ""} | ${
        r.fast === undefined ? "" : r.fast ? "yes" : "no"
      } |`,
    );
  }
  lines.push("", `Paper's protocol: ${t.paperProtocol}.`);
  if (t.note) lines.push("", `Note: ${t.note}`);
  lines.push(
    "",
    '"not run": no finished run record for this configuration; "reported only": the paper\'s number for another method, not rerun here; "run for" another row: the same experiment (data, protocol, model, training), run once; SE: the binomial standard error of one run on the split\'s test faces, √(p(1−p)/n); a ± is the std over folds or seeds.',
  );
  return lines.join("\n") + "\n";
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV (one line per row; empty measured cell when not measured). */
export function tableCsv(t: TableResult): string {
  const head = [
    "table",
    "source",
    "key",
    "label",
    "protocol",
    "paper",
    "measured",
    "std",
    "se",
    "status",
    "run_id",
    "model",
    "epochs",
    "backend",
    "fast",
    "run_of",
  ];
  const lines = [head.join(",")];
  for (const r of t.rows) {
    lines.push(
      [
        t.id,
        r.source,
        r.key,
        r.label,
        r.protocol,
        r.paper,
        r.measured,
        r.std,
        r.se,
        r.status,
        r.runId,
        r.model,
        r.epochs,
        r.backend,
        r.fast,
        r.runOf,
      ]
        .map(csvField).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/** Writes `<outDir>/<id>.md` and `<outDir>/<id>.csv`; returns their paths. */
export async function writeTable(t: TableResult, outDir = "outputs/tables"): Promise<{ md: string; csv: string }> {
  await Deno.mkdir(outDir, { recursive: true });
  const md = join(outDir, `${t.id}.md`), csv = join(outDir, `${t.id}.csv`);
  await Deno.writeTextFile(md, tableMarkdown(t, outDir));
  await Deno.writeTextFile(csv, tableCsv(t));
  return { md, csv };
}
