/**
 * Test helpers of the report: the run.json the engine would write for a resolved experiment.
 *
 * @example
 * ```ts
 * await writeRunOf(dir, "t2", (await planTable("table2", { fast: false, cpu: true, row: "complete" }))[0]);
 * ```
 * @module
 */
import { join } from "node:path";
import { datasetName } from "../experiment/spec.ts";
import type { ResolvedExperiment } from "./experiments.ts";
import { experimentModel, experimentProtocol } from "./identity.ts";

/** FER2013's 7 classes. */
export const FER = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

/** Writes the run.json the engine would write for `r` (FER2013's 7 classes), with overrides. */
export async function writeRunOf(dir: string, id: string, r: ResolvedExperiment, over: Record<string, unknown> = {}) {
  await Deno.mkdir(join(dir, id), { recursive: true });
  const rec = {
    id,
    createdAt: "2026-11-27T10:00:00Z",
    gitCommit: null,
    experiment: {
      table: r.config.table,
      row: r.config.row,
      fast: r.fast,
      ...(r.profile ? { profile: r.profile } : {}),
    },
    config: { model: experimentModel(r, 7), train: r.train },
    dataset: { name: datasetName(r.spec.dataset), root: "/data", summary: { classes: FER } },
    protocol: experimentProtocol(r),
    backend: "torch",
    status: "done",
    epochs: 15,
    result: { split: "PublicTest", accuracy: 0.5432, macroF1: 0.5 },
    ...over,
  };
  await Deno.writeTextFile(join(dir, id, "run.json"), JSON.stringify(rec));
}
