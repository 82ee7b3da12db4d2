/**
 * A shipped model's card (`models/<name>/MODEL_CARD.md`), written from records only: the run record of the training
 * (config, data, PublicTest result with its per-class table and confusion, compute and machines) and the ship record
 * that `tools/ship_model.ts` writes when it packs the weights (the shipped float16 weights evaluated again beside
 * float32, single view and ten-crop). The card is a pure function of the two, so a test regenerates it and compares.
 *
 * @example
 * ```ts
 * const card = modelCard({ run, runPath: "results/runs/<id>.json", ship, shipPath: "results/shipped/fer2013.json" });
 * ```
 * @module
 */
import type { EvalReport } from "../eval/metrics.ts";
import type { MachineInfo, RunRecord } from "./record.ts";

/** One evaluation of the shipped weights on the run's validation split: single view and ten-crop. */
export interface ShipEvaluation {
  single: EvalReport;
  tencrop: EvalReport;
}

/** What `tools/ship_model.ts` measured when it packed a run's model into `models/<name>/`. */
export interface ShipRecord {
  /** The shipped model's name (`--model NAME`) and folder. */
  name: string;
  dir: string;
  /** The run record it ships (a path under results/) and the run folder's model it packed. */
  record: string;
  from: string;
  /** Why this model is shipped now (e.g. an interim model until a long run ends). */
  note: string;
  weights: "float32" | "float16";
  /** Bytes of every file in the shipped folder, the card included. */
  bytes: number;
  params: number;
  macs: number;
  /** The run's own weights (float32) and the shipped ones, evaluated by the same code on the same faces. */
  float32: ShipEvaluation;
  shipped: ShipEvaluation;
  createdAt: string;
  gitCommit: string | null;
  machine: MachineInfo;
}

/** The inputs of {@link modelCard}: both records and where they live. */
export interface CardInput {
  run: RunRecord;
  runPath: string;
  ship: ShipRecord;
  shipPath: string;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const f3 = (x: number) => x.toFixed(3);

function machines(run: RunRecord): string {
  const s = run.stretches ?? [];
  if (s.length === 0) {
    const m = run.machine;
    return m
      ? `one process on ${m.cpu}, ${m.cores} cores, ${m.threads ?? "default"} torch thread(s), 1-minute load ` +
        `${m.loadStart.toFixed(1)} at the start and ${m.loadEnd?.toFixed(1) ?? "?"} at the end`
      : "not recorded";
  }
  return s.map((x) =>
    `epochs ${x.fromEpoch + 1}–${x.toEpoch} on ${x.cpu} (bf16 instructions: ${x.bf16 ? "yes" : "no"}), ` +
    `${x.precision ?? "n/a"}, ${x.threads ?? "default"} thread(s), ${x.minutes.toFixed(0)} min, ` +
    `1-minute load ${x.loadStart.toFixed(1)}–${x.loadEnd.toFixed(1)}`
  ).join("; ");
}

function recipe(run: RunRecord): string[] {
  const t = run.config.train;
  const sched = t.schedule.kind === "cosine" ? `cosine decay to ${t.schedule.minLr}` : t.schedule.kind;
  const opt = t.optimizer === "sgd"
    ? `SGD${t.nesterov ? " Nesterov" : ""} momentum ${t.momentum}, weight decay ${t.weightDecay ?? 0}`
    : "Adam";
  return [
    `- optimiser: ${opt}, learning rate ${t.lr}, ${sched}, batch ${t.batchSize}, ${t.epochs} epochs`,
    `- augmentation: ${t.augment ? "the paper's Keras affine augmentation, then " : ""}` +
    (t.crop ? `random ${t.crop.fraction}-of-side crops${t.crop.flip ? " + flips" : ""}` : "none"),
    `- label smoothing ${t.labelSmoothing ?? 0}; weights kept: ${t.keep === "last" ? "the last epoch's" : t.keep}`,
    `- test-time: ${t.tta ?? "none"} at the final evaluation`,
  ];
}

function classTable(r: EvalReport): string[] {
  return [
    "| class | precision | recall | F1 | faces |",
    "| --- | --- | --- | --- | --- |",
    ...r.labels.map((l) => {
      const c = r.perClass[l];
      return `| ${l} | ${f3(c.precision)} | ${f3(c.recall)} | ${f3(c.f1)} | ${c.support} |`;
    }),
  ];
}

function confusionTable(r: EvalReport): string[] {
  return [
    `| true \\ predicted | ${r.labels.join(" | ")} |`,
    `| --- | ${r.labels.map(() => "---").join(" | ")} |`,
    ...r.confusion.map((row, i) => `| ${r.labels[i]} | ${row.join(" | ")} |`),
  ];
}

/**
 * The card as markdown, from the run record and the ship record only.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("models/fer2013/MODEL_CARD.md", modelCard(input));
 * ```
 */
export function modelCard({ run, runPath, ship, shipPath }: CardInput): string {
  const m = run.config.model;
  const split = ship.shipped.tencrop.split;
  const sizes = run.sizes;
  const hours = (run.seconds ?? 0) / 3600;
  const wiring = m.reconstruction
    ? "the paper's wiring (feature extraction, attention, reconstruction)"
    : `the gated wiring (attention ${m.attentionMode}${m.attentionSkip ? " with skip" : ""}, no reconstruction, ` +
      `${m.head} head, mask bias ${m.maskBias ?? 0})`;
  const views = (label: string, e: ShipEvaluation) =>
    `| ${label} | ${pct(e.tencrop.accuracy)} | ${f3(e.tencrop.macroF1)} | ${pct(e.single.accuracy)} | ${
      f3(e.single.macroF1)
    } |`;
  return [
    `# ${ship.name}: a FER2013 expression model trained on the CPU`,
    "",
    `${ship.note}`,
    "",
    "## What it is",
    "",
    `- The network of Li et al. (2020)'s family: an LBP stream beside the picture, the attention module, ${wiring}; ` +
    `width ${m.width} of the paper's channels, ${m.inputSize}×${m.inputSize} grey input, LBP ${m.lbp}, ` +
    `dilations ${m.dilations.join("-")}.`,
    `- ${ship.params.toLocaleString("en")} parameters, ${(ship.macs / 1e6).toFixed(1)}M multiply-adds per face; ` +
    `${ship.weights} weights, ${(ship.bytes / 1e6).toFixed(1)} MB in this folder.`,
    `- Classes, in output order: ${ship.shipped.tencrop.labels.join(", ")}.`,
    "",
    "## Data and protocol",
    "",
    `- Trained on FER2013 ${run.protocol.kind === "split" ? run.protocol.train : "?"}` +
    `${sizes ? ` (${sizes.train.toLocaleString("en")} faces)` : ""}; scored on ${split}` +
    `${sizes ? ` (${sizes.val.toLocaleString("en")} faces)` : ""}, which only monitored training: the schedule was ` +
    `fixed before the run and the last epoch's weights are shipped, so ${split} is an estimate, not a selection.`,
    "- FER2013's PrivateTest was not available; no number here is on it.",
    "- FER2013 (Goodfellow et al., ICML 2013 challenges in representation learning, via Kaggle) is for research; " +
    "this model is trained on it and inherits its terms. Its faces are 48×48 grey crops: on photos, detect and " +
    "crop the faces first (`fer predict` does).",
    "",
    `## ${split} accuracy`,
    "",
    "| weights | ten-crop accuracy | ten-crop macro-F1 | single-view accuracy | single-view macro-F1 |",
    "| --- | --- | --- | --- | --- |",
    views(`${ship.weights} (shipped)`, ship.shipped),
    views("float32 (the run's)", ship.float32),
    "",
    `The run record's own final evaluation (${run.config.train.tta ?? "none"}): ${pct(run.result!.accuracy)}, ` +
    `macro-F1 ${f3(run.result!.macroF1)}; without test-time augmentation ${pct(run.accuracyWithoutTta?.[0] ?? NaN)}.`,
    ...(run.config.train.tta && run.config.train.tta !== "none"
      ? [
        "",
        `\`fer predict\`, \`fer evaluate\` and the web page average the same views (${run.config.train.tta}, ` +
        "fer-config.json's `tta`) unless `--tta` says otherwise.",
      ]
      : []),
    "",
    `### Per class (shipped weights, ten-crop, ${split})`,
    "",
    ...classTable(ship.shipped.tencrop),
    "",
    "### Confusion (rows: true class; columns: predicted)",
    "",
    ...confusionTable(ship.shipped.tencrop),
    "",
    "## Recipe",
    "",
    ...recipe(run),
    "",
    "## Compute",
    "",
    `- ${run.epochs} epochs in ${hours.toFixed(2)} hours of wall time on the ${run.backend} backend.`,
    `- Machines: ${machines(run)}.`,
    "",
    "## Provenance",
    "",
    `- Run ${run.id}, commit ${run.gitCommit ?? "unknown"}; its record: \`${runPath}\`.`,
    `- Packed from \`${ship.from}\` at commit ${ship.gitCommit ?? "unknown"}; the ship record: \`${shipPath}\`.`,
    "- This card is generated from those two records (`deno run -A tools/ship_model.ts`); a test regenerates it.",
    "",
  ].join("\n");
}
