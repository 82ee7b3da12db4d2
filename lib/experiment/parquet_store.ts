/**
 * The parquet adapter of the run store: {@link fileStore} plus `metrics.parquet` (nodejs-polars) beside
 * each `metrics.csv`, for data-frame readers. The CLI, the demo and the notebooks write through it;
 * the offline GPU bundle, which cannot load polars' native addon, uses the plain file store.
 *
 * @example
 * ```ts
 * const r = await runExperiment({ ...opts, store: parquetStore });
 * pl.readParquet(`${r.dir}/metrics.parquet`);
 * ```
 * @module
 */
import pl from "nodejs-polars";
import { failpoint } from "../util/failpoint.ts";
import { METRIC_COLUMNS } from "./record.ts";
import { fileStore, type RunStore } from "./store.ts";

/** {@link fileStore} that also writes `metrics.parquet` (atomically) with the metrics. */
export const parquetStore: RunStore = {
  ...fileStore,
  async writeMetrics(dir, history) {
    await fileStore.writeMetrics(dir, history);
    const cols: Record<string, number[]> = {};
    for (const c of METRIC_COLUMNS) cols[c] = history.map((h) => h[c]);
    const df = pl.DataFrame(cols).withColumns(pl.col("epoch").cast(pl.Int32));
    const tmp = `${dir}/metrics.parquet.tmp-${Deno.pid}`;
    df.writeParquet(tmp);
    failpoint("atomic-rename");
    await Deno.rename(tmp, `${dir}/metrics.parquet`);
  },
};
