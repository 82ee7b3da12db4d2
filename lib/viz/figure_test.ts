import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { renderPlot, svgFigure, svgToPng, toBase64 } from "./figure.ts";
import { pngStats } from "./test_helpers.ts";

Deno.test("renderPlot: title and categorical legend become SVG text, PNG matches the declared size", async () => {
  const data = [{ s: "alpha", x: 1, y: 2 }, { s: "alpha", x: 2, y: 3 }, { s: "beta", x: 1, y: 1 }, {
    s: "beta",
    x: 2,
    y: 4,
  }];
  const fig = renderPlot({
    title: "My title",
    width: 300,
    height: 200,
    color: { legend: true },
    marks: [Plot.line(data, { x: "x", y: "y", stroke: "s" })],
  });
  assert.ok(fig.svg.startsWith("<svg xmlns="));
  assert.ok(fig.svg.includes(">My title</text>"));
  assert.ok(fig.svg.includes(">alpha</text>") && fig.svg.includes(">beta</text>"));
  assert.ok(!fig.svg.includes("<div"), "no HTML left in the SVG");
  assert.equal(fig.width, 300);
  assert.equal(fig.height, 200 + 26 + 20); // plot + title row + legend row
  const s = await pngStats(fig.png);
  assert.equal(s.width, 300);
  assert.equal(s.height, fig.height);
  assert.ok(s.variance > 0 && s.nonBackground > 0.005);
});

Deno.test("svgToPng: renders text with the DejaVu font (glyph pixels present)", async () => {
  const blank = svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"></svg>`);
  const text = svgToPng(
    `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"><text x="4" y="20" font-size="16">Hg</text></svg>`,
  );
  assert.equal((await pngStats(blank.png)).variance, 0);
  assert.ok((await pngStats(text.png)).nonBackground > 0.02);
});

Deno.test("svgFigure keeps the SVG and adds its PNG at the SVG's size", async () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect x="10" y="10" width="50" ` +
    `height="20" fill="red"/></svg>`;
  const fig = svgFigure(svg);
  assert.equal(fig.svg, svg);
  assert.deepEqual([fig.width, fig.height], [120, 40]);
  const s = await pngStats(fig.png);
  assert.deepEqual([s.width, s.height], [120, 40]);
  assert.ok(s.coloured > 900, `red pixels ${s.coloured}`);
});

Deno.test("toBase64 matches btoa on small and chunk-crossing inputs", () => {
  assert.equal(toBase64(new Uint8Array([104, 105])), "aGk=");
  const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
  assert.equal(toBase64(big), btoa(String.fromCharCode(...Array.from(big))));
});
