import assert from "node:assert/strict";
import { confusionMatrixFigure } from "./confusion_matrix.ts";
import { lineChart } from "./line_chart.ts";
import { barChart } from "./bar_chart.ts";
import { pngStats } from "./test_helpers.ts";

Deno.test("confusionMatrixFigure: labels and counts in the SVG, coloured non-blank PNG", async () => {
  const labels = ["angry", "happy", "surprise"];
  const fig = confusionMatrixFigure({ matrix: [[5, 1, 0], [2, 7, 1], [0, 3, 9]], labels, title: "CM" });
  for (const l of labels) assert.ok(fig.svg.includes(`>${l}</text>`), `label ${l} in SVG`);
  for (const v of [5, 7, 9]) assert.ok(fig.svg.includes(`>${v}</text>`), `value ${v} in SVG`);
  const s = await pngStats(fig.png);
  assert.equal(s.width, fig.width);
  assert.equal(s.height, fig.height);
  assert.ok(s.variance > 100, `variance ${s.variance}`);
  assert.ok(s.coloured > 9 * 30 * 30 * 0.5, `blue cells drawn (${s.coloured} coloured px)`);
});

Deno.test("confusionMatrixFigure: normalise writes row fractions; wrong shape is a clear error", () => {
  const fig = confusionMatrixFigure({ matrix: [[3, 1], [0, 4]], labels: ["a", "b"], normalise: true });
  assert.ok(fig.svg.includes(">0.75</text>") && fig.svg.includes(">0.25</text>") && fig.svg.includes(">1.00</text>"));
  assert.throws(() => confusionMatrixFigure({ matrix: [[1, 2]], labels: ["a", "b"] }), /must be 2x2/);
  assert.throws(() => confusionMatrixFigure({ matrix: [[1, -2], [0, 0]], labels: ["a", "b"] }), /matrix\[0\]\[1\]/);
});

Deno.test("lineChart: two series with legend, decoded PNG has the size and coloured lines", async () => {
  const fig = lineChart({
    series: [
      { name: "train", x: [1, 2, 3, 4], y: [1, 0.7, 0.5, 0.45] },
      { name: "val", x: [1, 2, 3, 4], y: [1.1, 0.8, 0.7, 0.72] },
    ],
    xLabel: "epoch",
    yLabel: "loss",
    width: 400,
    height: 250,
  });
  assert.ok(fig.svg.includes(">train</text>") && fig.svg.includes(">val</text>"));
  const s = await pngStats(fig.png);
  assert.equal(s.width, 400);
  assert.equal(s.height, 250 + 20);
  assert.ok(s.variance > 0 && s.coloured > 200, `coloured px ${s.coloured}`);
  assert.throws(() => lineChart({ series: [{ name: "bad", x: [1, 2], y: [1] }] }), /"bad" has 2 x values but 1/);
  // A legend wider than the plot wraps onto more rows, each 20 px.
  const many = lineChart({
    series: Array.from({ length: 8 }, (_, k) => ({ name: `series number ${k}`, x: [0, 1], y: [k, k + 1] })),
    width: 300,
    height: 200,
  });
  assert.ok(many.height > 200 + 20 * 2, `legend rows wrap (height ${many.height})`);
  assert.ok(many.svg.includes(">series number 7</text>"));
});

Deno.test("lineChart: one point per series (a first epoch) draws without Observable Plot's warnings", () => {
  const warned: unknown[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => warned.push(a.join(" "));
  try {
    lineChart({ series: [{ name: "train", x: [1], y: [0.9] }, { name: "val", x: [1], y: [1.1] }] });
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warned, []);
});

Deno.test("barChart: plain and grouped bars decode with the expected size and drawn bars", async () => {
  const plain = barChart({ labels: ["angry", "happy"], values: [40, 90], width: 300, height: 200 });
  const ps = await pngStats(plain.png);
  assert.equal(ps.width, 300);
  assert.equal(ps.height, 200);
  assert.ok(ps.variance > 0 && ps.coloured > 2000, `coloured px ${ps.coloured}`);
  assert.ok(plain.svg.includes(">90</text>"));

  const grouped = barChart({
    labels: ["angry", "angry", "happy", "happy"],
    groups: ["train", "test", "train", "test"],
    values: [40, 10, 90, 22],
    title: "counts",
  });
  assert.ok(grouped.svg.includes(">train</text>") && grouped.svg.includes(">test</text>"));
  const gs = await pngStats(grouped.png);
  assert.equal(gs.width, 640);
  assert.equal(gs.height, 360 + 26 + 20);
  assert.ok(gs.coloured > 5000);
  assert.throws(() => barChart({ labels: ["a"], values: [1, 2] }), /1 labels but 2 values/);
});
