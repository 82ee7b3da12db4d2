/**
 * Measured seconds per epoch, read from the run records (`metrics.csv`, or each `fold-<i>/metrics.csv`
 * of a k-fold run), for sizing cluster jobs: runs of the same dataset, model config and batch size as
 * the experiment, on CUDA or not as asked (a backend label naming cuda is a CUDA run); the median epoch.
 *
 * @example
 * ```ts
 * const m = await measuredEpochSeconds(await readRuns("outputs/runs"), experiment, { cuda: false });
 * m?.seconds; // e.g. 11.8, from m.runs
 * ```
 * @module
 */
import { join } from "node:path";
import { canonicalJson } from "../experiment/hash.ts";
import { recordedRuntime } from "../backend/runtime.ts";
import { readMetricsCsv } from "../experiment/record.ts";
import { datasetName } from "../experiment/spec.ts";
import type { ResolvedExperiment } from "./experiments.ts";
import { experimentModel } from "./identity.ts";
import type { LoadedRun } from "./runs.ts";

/** A measured epoch time and where it comes from. */
export interface EpochTime {
  /** Median seconds of one epoch. */
  seconds: number;
  /** Ids of the runs measured. */
  runs: string[];
  /** Whether those runs were on CUDA. */
  cuda: boolean;
}

/** True when a run ran on a CUDA device (its runtime, or an older record's label "torch (cuda:0, fp32)"). */
export function onCuda(rec: Parameters<typeof recordedRuntime>[0]): boolean {
  return recordedRuntime(rec).device?.startsWith("cuda") ?? false;
}

/**
 * The median epoch of runs like `r` on CUDA (`cuda: true`) or not; when there are none of that kind, of
 * the other kind (say which in `cuda`); null when none at all.
 */
export async function measuredEpochSeconds(
  runs: LoadedRun[],
  r: ResolvedExperiment,
  opts: { cuda: boolean },
): Promise<EpochTime | null> {
  const batch = r.train.batchSize, name = datasetName(r.spec.dataset);
  const alike = runs.filter(({ record: rec }) => {
    const model = rec.config?.model as { numClasses?: number } | undefined;
    return rec.dataset?.name === name && rec.config?.train?.batchSize === batch &&
      typeof model?.numClasses === "number" &&
      canonicalJson(model) === canonicalJson(experimentModel(r, model.numClasses));
  });
  for (const cuda of [opts.cuda, !opts.cuda]) {
    const seconds: number[] = [], ids: string[] = [];
    for (const run of alike.filter((x) => onCuda(x.record) === cuda)) {
      const got = await epochSeconds(run.dir);
      if (got.length) ids.push(run.record.id);
      seconds.push(...got);
    }
    if (seconds.length) return { seconds: median(seconds), runs: ids, cuda };
  }
  return null;
}

/** Every epoch's seconds in a run folder: its metrics.csv, else its folds'. */
async function epochSeconds(dir: string): Promise<number[]> {
  const files = [join(dir, "metrics.csv")];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (/^fold-\d+$/.test(e.name)) files.push(join(dir, e.name, "metrics.csv"));
    }
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const f of files) {
    try {
      out.push(...(await readMetricsCsv(f)).map((m) => m.seconds).filter((s) => s > 0));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
