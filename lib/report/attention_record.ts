/**
 * Chapter 08's attention scoring as a committed record (written by bench/attention.ts), read and checked: the
 * chapter and the READMEs cite its figures (the main job's F_m per class, the untrained network's 1.01) instead of
 * numbers kept only in a notebook's output.
 *
 * @example
 * ```ts
 * const rec = await readAttentionRecord();
 * rec.untrained.overall.meanRatio; // 1.0058…
 * showMarkdown(attentionRecordMarkdown(rec));
 * ```
 * @module
 */
import { join, relative } from "node:path";
import { projectRoot, readJsonFile, type RecordedMachine } from "../util/mod.ts";
import { summariesMarkdown } from "../experiment/attention_score.ts";
import type { AttentionStudy } from "./attention_study.ts";

/** `results/attention/main-job-20261206-8b71.json`: the main job's network untrained, and trained on an AMD EPYC. */
export const ATTENTION_MAIN_JOB_RECORD: string = join(
  projectRoot(),
  "results",
  "attention",
  "main-job-20261206-8b71.json",
);

/** One scored network: overall, per class and the two reference maps on the same faces. */
export type AttentionScores = Pick<AttentionStudy, "overall" | "byClass" | "references">;

/** What bench/attention.ts writes after the bench envelope (see bench/record.ts). */
export interface AttentionRecordBody {
  what: string;
  /** The main-job record's network with its seeded initial weights. */
  untrained: AttentionScores & { network: string };
  /** A main job trained where the bench ran, with its run's result and how its history compares to the record's. */
  trained: AttentionScores & {
    network: {
      run: string;
      commit: string | null;
      machine: unknown;
      result: { accuracy: number; accuracyWithoutTta: number[]; macroF1: number };
      sameHistoryAsRecord: boolean;
      historyDiffersFromEpoch: number | null;
      record: { path: string; ratio: number; machine: unknown };
    };
  };
}

/** An attention record: the bench envelope and {@link AttentionRecordBody}. */
export interface AttentionRecord extends AttentionRecordBody {
  command: string;
  commit: string | null;
  started: string;
  finished: string;
  machine: RecordedMachine;
}

const SUMMARY_FIELDS = ["n", "meanMassInside", "meanAreaFraction", "meanRatio", "shareAboveUniform"] as const;

/** Reads an attention record; throws naming the file and the field that is missing or not a number. */
export async function readAttentionRecord(path: string = ATTENTION_MAIN_JOB_RECORD): Promise<AttentionRecord> {
  // deno-lint-ignore no-explicit-any
  const rec: any = await readJsonFile(path, "an attention record (written by bench/attention.ts)");
  const summary = (s: unknown, at: string) => {
    for (const f of SUMMARY_FIELDS) {
      const v = (s as Record<string, unknown> | undefined)?.[f];
      if (typeof v !== "number") throw new Error(`${path}: ${at}.${f} must be a number, got ${JSON.stringify(v)}`);
    }
  };
  if (typeof rec?.machine?.cpu !== "string") {
    throw new Error(`${path}: not an attention record, machine.cpu is missing`);
  }
  for (const net of ["untrained", "trained"]) {
    summary(rec[net]?.overall, `${net}.overall`);
    const classes = Object.entries(rec[net]?.byClass ?? {});
    if (classes.length === 0) throw new Error(`${path}: ${net}.byClass is missing or empty`);
    for (const [k, s] of classes) summary(s, `${net}.byClass.${k}`);
    for (const ref of ["uniform", "centre"]) summary(rec[net]?.references?.[ref], `${net}.references.${ref}`);
  }
  if (typeof rec.trained.network?.run !== "string") throw new Error(`${path}: trained.network.run is missing`);
  return rec as AttentionRecord;
}

/** The record as Markdown: where and when it ran, the trained and untrained networks beside the references, and
 * each network's per-class scores. */
export function attentionRecordMarkdown(rec: AttentionRecord, path: string = ATTENTION_MAIN_JOB_RECORD): string {
  const m = rec.machine, net = rec.trained.network;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `Record \`${relative(projectRoot(), path)}\`: commit ${rec.commit}, ${rec.started}; ${m.cpu} (${m.cores} ` +
    `cores, bf16 ${m.bf16 ? "yes" : "no"}), 1-minute load ${m.loadStart.toFixed(2)} → ${m.loadEnd.toFixed(2)}. ` +
    `Trained: run ${net.run} (${pct(net.result.accuracy)} ten-crop, ${
      net.result.accuracyWithoutTta.map(pct).join(", ")
    } one picture; ${
      net.sameHistoryAsRecord ? "the same history as" : `its history parts at epoch ${net.historyDiffersFromEpoch} from`
    } \`${net.record.path}\`, whose own score was ${net.record.ratio.toFixed(2)}). ` +
    `Untrained: ${rec.untrained.network}.\n\n` +
    summariesMarkdown({
      [`F_m (trained, ${net.run.slice(-4)})`]: rec.trained.overall,
      "F_m (same network, untrained)": rec.untrained.overall,
      "uniform (reference)": rec.trained.references.uniform,
      "centred Gaussian (reference)": rec.trained.references.centre,
    }, "map") +
    "\n#### Per class, trained\n\n" + summariesMarkdown(rec.trained.byClass, "class") +
    "\n#### Per class, untrained\n\n" + summariesMarkdown(rec.untrained.byClass, "class");
}
