/**
 * Live training curves in a Jupyter cell: one display that is redrawn after every epoch (loss and
 * accuracy, train and validation). Outside a notebook it does nothing, so library code can call it.
 *
 * @example
 * ```ts
 * const live = liveCurves();
 * await runExperiment({ ..., onEpoch: (h) => live.update(h) });
 * ```
 * @module
 */
import { inJupyter } from "../util/progress.ts";
import { lineChart } from "./line_chart.ts";
import { toBase64 } from "./figure.ts";
import type { EpochMetrics } from "../eval/metrics.ts";

/** A redrawable curves display. */
export interface LiveCurves {
  update(history: EpochMetrics[]): void;
}

let counter = 0;

/** Creates the display (shown on the first update). */
export function liveCurves(): LiveCurves {
  const id = `fer-curves-${Date.now()}-${counter++}`;
  let shown = false;
  return {
    update(history) {
      if (!inJupyter() || history.length === 0) return;
      const x = history.map((h) => h.epoch);
      const fig = (name: string, series: [string, number[]][]) =>
        lineChart({
          series: series.map(([n, y]) => ({ name: n, x, y })),
          xLabel: "epoch",
          yLabel: name,
          width: 420,
          height: 260,
        });
      const loss = fig("loss", [["train", history.map((h) => h.loss)], ["val", history.map((h) => h.val_loss)]]);
      const acc = fig("accuracy", [["train", history.map((h) => h.accuracy)], [
        "val",
        history.map((h) => h.val_accuracy),
      ]]);
      const img = (f: typeof loss) => `<img width="${f.width}" src="data:image/png;base64,${toBase64(f.png)}"/>`;
      const last = history.at(-1)!;
      const content = {
        data: {
          "text/html": `<div style="display:flex;gap:8px">${img(loss)}${img(acc)}</div>`,
          "text/plain": `epoch ${last.epoch}: loss ${last.loss.toFixed(4)}, val_acc ${last.val_accuracy.toFixed(4)}`,
        },
        metadata: {},
        transient: { display_id: id },
      };
      // deno-lint-ignore no-explicit-any
      (Deno as any).jupyter.broadcast(shown ? "update_display_data" : "display_data", content);
      shown = true;
    },
  };
}
