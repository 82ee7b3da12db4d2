/**
 * Figures and notebook display: Observable Plot charts rendered to SVG + PNG, image grids, tables,
 * dataset figures, Markdown and live training curves in a notebook cell.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): colormap.ts, fonts.ts, image_grid.ts
 *  (lib/photo draws with them in the browser bundle, which must not load Plot and linkedom).
 *
 * @example
 * ```ts
 * import { barChart, saveFigure, show } from "../lib/viz/mod.ts";
 * const fig = barChart({ labels: ["angry", "happy"], values: [40, 90], title: "class counts" });
 * show(fig);
 * await saveFigure(fig, "class_counts");
 * ```
 * @module
 */
export { type Figure, renderPlot, svgFigure, svgToPng, toBase64 } from "./figure.ts";
export { confusionMatrixFigure, type ConfusionMatrixOptions } from "./confusion_matrix.ts";
export { lineChart, type LineChartOptions, type Series } from "./line_chart.ts";
export { barChart, type BarChartOptions } from "./bar_chart.ts";
export { type HeatmapOverlay, imageGrid, type ImageGridOptions, type Tile } from "./image_grid.ts";
export { colormap, type ColormapName } from "./colormap.ts";
export { type RecordsSource, show, showTable, type TableOptions, type TableText, tableText } from "./show.ts";
export { markdownHtml } from "./markdown.ts";
export { outputsDir, saveFigure } from "./save.ts";
export {
  classDistributionFigure,
  classGridFigure,
  type ClassGridOptions,
  foldFigure,
  foldTable,
} from "./dataset_figures.ts";
export { confusionMarkdown, type Displayable, showMarkdown } from "./display.ts";
export { type LiveCurves, liveCurves } from "./live.ts";
