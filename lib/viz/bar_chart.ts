/**
 * Bar chart of values per label (class counts), optionally grouped (one bar per split inside each class).
 *
 * @example
 * ```ts
 * barChart({ labels: ["happy", "sad"], values: [120, 80], title: "class counts" });
 * barChart({ labels: ["happy", "happy", "sad", "sad"], groups: ["train", "test", "train", "test"], values: [90, 30, 60, 20] });
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type Figure, renderPlot } from "./figure.ts";

/** Options of {@link barChart}. */
export interface BarChartOptions {
  /** Category of each bar (repeated across groups). */
  labels: string[];
  values: number[];
  /** Group of each bar (e.g. the split); bars of one label are drawn side by side, coloured by group. */
  groups?: string[];
  title?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

/**
 * Draws vertical bars with their value written on top.
 *
 * @example
 * ```ts
 * barChart({ labels: ["a", "b"], values: [1, 2] }).height; // 360
 * ```
 */
export function barChart(opts: BarChartOptions): Figure {
  const { labels, values, groups } = opts;
  if (labels.length === 0) throw new Error("barChart: labels is empty");
  if (values.length !== labels.length) {
    throw new Error(`barChart: ${labels.length} labels but ${values.length} values`);
  }
  if (groups && groups.length !== labels.length) {
    throw new Error(`barChart: ${labels.length} labels but ${groups.length} groups`);
  }
  const rows = labels.map((label, i) => ({ label, value: values[i], group: groups?.[i] ?? "" }));
  const domain = [...new Set(labels)];
  const longest = Math.max(...domain.map((l) => l.length));
  const rotate = longest * 7 > 560 / domain.length;
  const common = {
    title: opts.title,
    width: opts.width ?? 640,
    height: opts.height ?? 360,
    marginLeft: 56,
    marginBottom: rotate ? 24 + longest * 6 : 36,
    y: { grid: true, label: opts.yLabel ?? "count" },
  };
  if (!groups) {
    return renderPlot({
      ...common,
      x: { domain, label: null, tickRotate: rotate ? -35 : 0 },
      marks: [
        Plot.barY(rows, { x: "label", y: "value", fill: "#4269d0" }),
        Plot.text(rows, { x: "label", y: "value", text: (d: { value: number }) => fmt(d.value), dy: -6 }),
        Plot.ruleY([0]),
      ],
    });
  }
  const groupDomain = [...new Set(groups)];
  return renderPlot({
    ...common,
    fx: { domain, label: null, tickRotate: rotate ? -35 : 0, padding: 0.15 },
    x: { domain: groupDomain, axis: null, padding: 0.05 },
    color: { domain: groupDomain, legend: true },
    marks: [
      Plot.barY(rows, { fx: "label", x: "group", y: "value", fill: "group" }),
      Plot.text(rows, {
        fx: "label",
        x: "group",
        y: "value",
        text: (d: { value: number }) => fmt(d.value),
        dy: -6,
        fontSize: 9,
      }),
      Plot.ruleY([0]),
    ],
  });
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}
