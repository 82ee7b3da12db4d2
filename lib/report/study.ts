/**
 * The recipe study's records (issue 14; results/study/): each cell is `cells/<cell>.json`, an experiment `spec`
 * (a `fer train --config` file; for a demo cell the overrides of the demo's spec), the other flags of the run
 * and its seeds; `runs/<cell>@<seed>.json` is the engine-written `run.json` of one run (tools/study.ts runs
 * cells). The study table and the demo runs' attention evidence are built from those records alone, so every
 * number in them has its record.
 *
 * @example
 * ```ts
 * showMarkdown(studyMarkdown(await studyRows()));
 * showMarkdown(await attentionMarkdown());
 * ```
 * @module
 */
import { basename, join } from "node:path";
import type { RunRecord } from "../experiment/record.ts";
import type { SpecInput } from "../experiment/spec.ts";
import { projectRoot } from "../util/root.ts";
import { readJsonFile } from "../util/json.ts";

/** The study's folder: results/study (cells/ and runs/). */
export const STUDY_DIR: string = join(projectRoot(), "results", "study");

/** One study cell. */
export interface StudyCell {
  /** What the cell varies, for the table. */
  about: string;
  /** `fer train` (default) or `fer demo` (the main job on synthetic faces, with its attention score). */
  command?: "train" | "demo";
  /** Flags besides --config (the backend). */
  args: string[];
  seeds: number[];
  /** The experiment spec (`fer train --config`), or the overrides of the demo's spec (`fer demo --config`). */
  spec: SpecInput;
}

/** A cell file, validated; errors name the file. */
export async function readCell(name: string, dir: string = STUDY_DIR): Promise<StudyCell> {
  const path = join(dir, "cells", `${name}.json`);
  const c = await readJsonFile(path, "the study cell") as StudyCell;
  if (
    typeof c.about !== "string" || !Array.isArray(c.args) || !Array.isArray(c.seeds) || !c.seeds.length ||
    typeof c.spec !== "object" || c.spec === null
  ) {
    throw new Error(`${path}: expected {about, command?, args: string[], seeds: number[], spec}`);
  }
  return c;
}

/** The study table's row of one cell's records. */
export interface StudyRow {
  cell: string;
  about: string;
  folds: string;
  seeds: number[];
  /** Per-seed mean accuracy over the folds run. */
  accuracies: number[];
  /** Mean and sample std of the fold accuracies of all seeds together. */
  mean: number;
  std: number;
  minutes: number[];
  load: string;
  /** Mean accuracy of the same models without the TTA (cells with a TTA). */
  noTta?: number;
  /** Mean attention ratio of the trained models (demo cells). */
  attention?: number;
}

interface StudyRecord {
  protocol: { kind: string; k?: number; only?: number[]; val?: string };
  folds?: { accuracy: number }[];
  result?: { accuracy: number };
  seconds?: number;
  machine?: { loadStart: number; loadEnd?: number };
  config: { train: { seed: number } };
  accuracyWithoutTta?: (number | null)[];
  attention?: { ratio: number };
}

/** Rows of the study table, one per cell with at least one record, in cell-name order. */
export async function studyRows(dir: string = STUDY_DIR): Promise<StudyRow[]> {
  const byCell = new Map<string, StudyRecord[]>();
  for await (const e of Deno.readDir(join(dir, "runs"))) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const cell = basename(e.name, ".json").split("@")[0];
    byCell.set(cell, [...(byCell.get(cell) ?? []), JSON.parse(await Deno.readTextFile(join(dir, "runs", e.name)))]);
  }
  const rows: StudyRow[] = [];
  for (const [cell, recs] of [...byCell].sort(([a], [b]) => a.localeCompare(b))) {
    recs.sort((a, b) => a.config.train.seed - b.config.train.seed);
    const about = (await readCell(cell, dir).catch(() => null))?.about ?? "";
    const accs = recs.map((r) => r.folds?.map((f) => f.accuracy) ?? [r.result!.accuracy]);
    const all = accs.flat(), mean = all.reduce((a, b) => a + b, 0) / all.length;
    const std = all.length > 1 ? Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / (all.length - 1)) : 0;
    const p = recs[0].protocol;
    const loads = recs.flatMap((r) => r.machine ? [r.machine.loadStart, r.machine.loadEnd ?? r.machine.loadStart] : []);
    const mean1 = (xs: number[]) => xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
    const plain = recs.flatMap((r) => (r.accuracyWithoutTta ?? []).filter((a): a is number => a !== null));
    rows.push({
      noTta: mean1(plain),
      attention: mean1(recs.flatMap((r) => r.attention ? [r.attention.ratio] : [])),
      cell,
      about,
      folds: p.kind === "kfold" ? (p.only ? `${p.only.join(",")} of ${p.k}` : `all ${p.k}`) : `split ${p.val}`,
      seeds: recs.map((r) => r.config.train.seed),
      accuracies: accs.map((a) => a.reduce((x, y) => x + y, 0) / a.length),
      mean,
      std,
      minutes: recs.map((r) => (r.seconds ?? NaN) / 60),
      load: loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : "?",
    });
  }
  return rows;
}

/** The study table as Markdown. */
export function studyMarkdown(rows: StudyRow[]): string {
  const pct = (x: number) => (100 * x).toFixed(2);
  const lines = [
    "| cell | what | folds | seeds | accuracy per seed | mean ± std (folds × seeds) | without TTA | attention ratio | minutes per run | load (1-min avg) |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.cell} | ${r.about} | ${r.folds} | ${r.seeds.join(", ")} | ${r.accuracies.map(pct).join(", ")} | ` +
        `**${pct(r.mean)} ± ${pct(r.std)}** | ${r.noTta === undefined ? "" : pct(r.noTta)} | ` +
        `${r.attention === undefined ? "" : r.attention.toFixed(2)} | ${
          r.minutes.map((m) => m.toFixed(1)).join(", ")
        } | ` +
        `${r.load} |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The attention evidence: per demo record, the model and the faces, accuracy and the epoch whose weights it
 * reports ("best": picked on those held-out faces, so optimistic; "last": the schedule's end; with a test-time
 * augmentation, the single full-picture accuracy of the same weights beside it), F_m's ratio over
 * the epochs, the minutes and the machine's load. */
export async function attentionMarkdown(dir: string = STUDY_DIR): Promise<string> {
  const lines = [
    "| run | input, width, head | faces (identities), distractors | epochs | held-out accuracy (epoch kept) | ratio per epoch (probe faces) | final ratio (unseen faces) | minutes | load |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  const names: string[] = [];
  for await (const e of Deno.readDir(join(dir, "runs"))) if (e.name.endsWith(".json")) names.push(e.name);
  for (const name of names.sort()) {
    const r: RunRecord = JSON.parse(await Deno.readTextFile(join(dir, "runs", name)));
    const a = r.attention;
    if (!a || !r.result) continue;
    const m = r.config.model, mach = r.machine;
    const s = (r.dataset.summary ?? {}) as { total?: number; subjects?: number };
    const gated = m.attentionSkip === false ? `, gated (bias ${m.maskBias ?? 0})` : "";
    const head = `${m.head}${m.reconstruction ? "" : ", no reconstruction"}${gated}`;
    const faces = `${s.total ?? "?"} (${s.subjects ?? "?"}), ${a.clutter ?? 0}`;
    const single = r.accuracyWithoutTta?.[0];
    const tta = single == null ? "" : `; ${r.config.train.tta} TTA, one view ${(100 * single).toFixed(1)}%`;
    lines.push(
      `| ${basename(name, ".json")} | ${m.inputSize} px, ×${m.width}, ${head} | ${faces} | ${r.epochs} | ` +
        `${(100 * r.result.accuracy).toFixed(1)}% (${r.bestEpoch ?? "?"}, ${r.config.train.keep ?? "best"}${tta}) | ${
          a.perEpoch.map((p) => p.ratio.toFixed(2)).join(" ")
        } | ` +
        `${a.ratio.toFixed(2)} (n=${a.n}) | ${((r.seconds ?? NaN) / 60).toFixed(1)} | ` +
        `${mach ? `${mach.loadStart.toFixed(1)}–${(mach.loadEnd ?? mach.loadStart).toFixed(1)}` : "?"} |`,
    );
  }
  return lines.join("\n") + "\n";
}
