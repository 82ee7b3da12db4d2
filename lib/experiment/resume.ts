/**
 * What `fer train --resume DIR` continues: the run exactly as its `run.json` records it. Flags given
 * with `--resume` are compared with the record: the same value is fine, more epochs extend the run
 * (and are written to the record), anything else — other data, another preset, size or learning rate,
 * fewer epochs — is an error naming each value in the run and now, so that one run never mixes two.
 *
 * @example
 * ```ts
 * const rec = await readRun(dir);
 * const spec = resumeSpec(dir, rec, { train: { epochs: 20 } }); // the recorded spec, 20 epochs
 * resumeSpec(dir, rec, { model: { preset: "paper" } });       // throws: model.preset: "cpu-small" in the run, "paper" now
 * ```
 * @module
 */
import type { RunRecord } from "./record.ts";
import type { DatasetSpec, ExperimentSpec, ModelSpec, TrainSpec } from "./spec.ts";

/** The flags given beside `--resume`, as spec parts (only what was given). */
export interface ResumeRequest {
  dataset?: Partial<DatasetSpec>;
  model?: ModelSpec;
  train?: TrainSpec;
}

/**
 * The data a record was trained on: its spec's dataset as loaded, or, for records older than the spec, the
 * loader kind and root it names.
 *
 * @example
 * ```ts
 * await loadDataset(recordedDataset(await readRun(dir)));
 * ```
 */
export function recordedDataset(rec: RunRecord): DatasetSpec {
  return rec.spec?.dataset ?? { dataset: rec.dataset.name as DatasetSpec["dataset"], root: rec.dataset.root };
}

/** The spec that continues the run recorded in `rec` (see the module doc). */
export function resumeSpec(dir: string, rec: RunRecord, req: ResumeRequest): ExperimentSpec {
  const dataset = recordedDataset(rec);
  const epochs = rec.config.train.epochs;
  const diffs: string[] = [];
  const compare = (field: string, then: unknown, now: unknown, note = "") => {
    if (JSON.stringify(then) !== JSON.stringify(now)) {
      diffs.push(`${field}: ${show(then)} in the run, ${show(now)} now${note}`);
    }
  };
  for (const [k, now] of Object.entries(req.dataset ?? {})) {
    compare(`dataset.${k}`, (dataset as unknown as Record<string, unknown>)[k], now);
  }
  for (const [k, now] of Object.entries(req.model ?? {})) {
    const then = k === "preset" ? rec.spec?.model.preset : (rec.config.model as unknown as Record<string, unknown>)[k];
    compare(`model.${k}`, then, now);
  }
  for (const [k, now] of Object.entries(req.train ?? {})) {
    if (k === "epochs") {
      if ((now as number) < epochs) compare("train.epochs", epochs, now, " (a resumed run can only add epochs)");
      continue;
    }
    const then = k === "preset" ? rec.spec?.train.preset : (rec.config.train as unknown as Record<string, unknown>)[k];
    compare(`train.${k}`, then, now);
  }
  if (diffs.length) {
    throw new Error(
      `${dir}/run.json: --resume continues the run as recorded and cannot change ${diffs.join("; ")}; ` +
        `start a new run for that (only --epochs may grow)`,
    );
  }
  return {
    dataset,
    model: rec.config.model,
    train: { ...rec.config.train, epochs: Math.max(epochs, req.train?.epochs ?? epochs) },
    protocol: rec.protocol,
  };
}

function show(v: unknown): string {
  return v === undefined ? "(none)" : JSON.stringify(v);
}
