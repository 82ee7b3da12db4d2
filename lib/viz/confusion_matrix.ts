/**
 * Confusion-matrix heatmap: rows are true classes, columns predicted classes, each cell coloured by its
 * (optionally row-normalised) value and labelled with it.
 *
 * @example
 * ```ts
 * const fig = confusionMatrixFigure({ matrix: [[5, 1], [2, 7]], labels: ["happy", "sad"], normalise: true });
 * await saveFigure(fig, "confusion");
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type Figure, renderPlot } from "./figure.ts";

/** Options of {@link confusionMatrixFigure}. */
export interface ConfusionMatrixOptions {
  /** `matrix[t][p]` = number of samples of true class t predicted as p. */
  matrix: number[][];
  labels: string[];
  /** Divide each row by its sum (per-class recall on the diagonal). Default false. */
  normalise?: boolean;
  title?: string;
}

/**
 * Draws a confusion matrix as a heatmap with the value written in every cell.
 *
 * @example
 * ```ts
 * confusionMatrixFigure({ matrix: [[3, 0], [1, 2]], labels: ["a", "b"] }).png; // PNG bytes
 * ```
 */
export function confusionMatrixFigure(opts: ConfusionMatrixOptions): Figure {
  const { matrix, labels } = opts;
  const n = labels.length;
  if (n === 0) throw new Error("confusionMatrixFigure: labels is empty");
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new Error(
      `confusionMatrixFigure: matrix must be ${n}x${n} to match ${n} labels, got ` +
        `${matrix.length}x${matrix.map((r) => r.length).join("/")}`,
    );
  }
  const cells: { truth: string; predicted: string; value: number; text: string }[] = [];
  let max = 0;
  for (let t = 0; t < n; t++) {
    const sum = matrix[t].reduce((a, b) => a + b, 0);
    for (let p = 0; p < n; p++) {
      const raw = matrix[t][p];
      if (!Number.isFinite(raw) || raw < 0) {
        throw new Error(`confusionMatrixFigure: matrix[${t}][${p}] = ${raw} is not a count >= 0`);
      }
      const value = opts.normalise ? (sum > 0 ? raw / sum : 0) : raw;
      max = Math.max(max, value);
      cells.push({
        truth: labels[t],
        predicted: labels[p],
        value,
        text: opts.normalise ? value.toFixed(2) : String(raw),
      });
    }
  }
  const cell = 48;
  const longest = Math.max(...labels.map((l) => l.length));
  const marginLeft = Math.max(60, longest * 7 + 24);
  const rotate = longest > 5;
  const marginBottom = rotate ? longest * 5 + 32 : 44;
  const dark = (d: { value: number }) => max > 0 && d.value / max > 0.55;
  return renderPlot({
    title: opts.title,
    width: marginLeft + n * cell + 20,
    height: 30 + n * cell + marginBottom,
    marginLeft,
    marginTop: 30,
    marginBottom,
    padding: 0,
    x: { domain: labels, label: "predicted", tickRotate: rotate ? -35 : 0 },
    y: { domain: labels, label: "true" },
    color: { type: "linear", scheme: "blues", domain: [0, max > 0 ? max : 1] },
    marks: [
      Plot.cell(cells, { x: "predicted", y: "truth", fill: "value", inset: 0.5 }),
      Plot.text(cells, {
        x: "predicted",
        y: "truth",
        text: "text",
        fill: (d: { value: number }) => (dark(d) ? "white" : "black"),
        fontSize: 11,
      }),
    ],
  });
}
