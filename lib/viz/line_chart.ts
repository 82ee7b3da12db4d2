/**
 * Line chart of several named series over a shared x axis (training curves: loss and accuracy per epoch).
 *
 * @example
 * ```ts
 * const fig = lineChart({
 *   series: [{ name: "train", x: [1, 2, 3], y: [0.9, 0.6, 0.5] }, { name: "val", x: [1, 2, 3], y: [1, 0.8, 0.7] }],
 *   xLabel: "epoch",
 *   yLabel: "loss",
 * });
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type Figure, renderPlot } from "./figure.ts";

/** One named curve. */
export interface Series {
  name: string;
  x: number[];
  y: number[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  series: Series[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  width?: number;
  height?: number;
}

/**
 * Draws each series as a line with dots, coloured by name, with a legend when there are several.
 *
 * @example
 * ```ts
 * lineChart({ series: [{ name: "acc", x: [0, 1], y: [0.2, 0.4] }] }).width; // 640
 * ```
 */
export function lineChart(opts: LineChartOptions): Figure {
  if (opts.series.length === 0) throw new Error("lineChart: no series given");
  const rows: { name: string; x: number; y: number }[] = [];
  for (const s of opts.series) {
    if (s.x.length !== s.y.length) {
      throw new Error(`lineChart: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`);
    }
    for (let i = 0; i < s.x.length; i++) {
      if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) rows.push({ name: s.name, x: s.x[i], y: s.y[i] });
    }
  }
  if (rows.length === 0) throw new Error("lineChart: no finite points in any series");
  const names = opts.series.map((s) => s.name);
  return renderPlot({
    title: opts.title,
    width: opts.width ?? 640,
    height: opts.height ?? 360,
    marginLeft: 56,
    grid: true,
    x: { label: opts.xLabel ?? "x" },
    y: { label: opts.yLabel ?? "y" },
    color: { domain: names, legend: names.length > 1 },
    marks: [
      // z named explicitly: with one point per series Plot would warn about an "implicit z channel".
      Plot.line(rows, { x: "x", y: "y", stroke: "name", z: "name", strokeWidth: 2 }),
      Plot.dot(rows, { x: "x", y: "y", fill: "name", r: 2.5 }),
    ],
  });
}
