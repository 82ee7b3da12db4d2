import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { modelDiagram } from "./diagram.ts";
import { preset } from "./presets.ts";

function parse(svg: string) {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  assert.equal(root.tagName.toLowerCase(), "svg");
  const off = [...root.querySelectorAll("g.module.off")].map((g) => g.getAttribute("class"));
  const text = [...root.querySelectorAll("text")].map((t) => t.textContent).join("\n");
  return { off, text };
}

Deno.test("the complete network draws every module on, with its shapes", () => {
  const { off, text } = parse(modelDiagram(preset("paper")));
  assert.deepEqual(off, []);
  assert.match(text, /256×256×1/);
  assert.match(text, /32×32×64/);
  assert.match(text, /dilations 2, 3, 4, 5/);
  assert.match(text, /circle LBP/);
  assert.match(text, /flatten 65536/);
  assert.match(text, /softmax 7/);
  assert.match(text, /Li et al\. 2020, complete network: 256×256 input, width 1, circle LBP, dilations 2, 3, 4, 5/);
});

Deno.test("each variant's caption names what it goes without", () => {
  const caption = (name: string) => parse(modelDiagram(preset(name))).text.split("\n").at(-1);
  assert.match(caption("table2-no-feature-extraction")!, /^Li et al\. 2020 without feature extraction: 256×256/);
  assert.match(caption("table2-no-attention")!, /^Li et al\. 2020 without attention: /);
  assert.match(caption("table2-no-reconstruction")!, /^Li et al\. 2020 without reconstruction: /);
  assert.match(caption("table1-no-lbp")!, /, no LBP, /);
  assert.match(caption("table3-A")!, /dilations 1, 1, 1, 1$/);
});

Deno.test("switched-off modules are greyed and labelled off", () => {
  assert.deepEqual(parse(modelDiagram(preset("table2-no-attention"))).off, [
    "module att trunk off",
    "module att mask off",
  ]);
  assert.deepEqual(parse(modelDiagram(preset("table2-no-reconstruction"))).off, ["module rec off"]);
  assert.deepEqual(parse(modelDiagram(preset("table1-no-lbp"))).off, ["module input lbp off", "module stream lbp off"]);
  const noFe = parse(modelDiagram(preset("table2-no-feature-extraction")));
  assert.deepEqual(noFe.off, []);
  assert.match(noFe.text, /raw stream \(no FE\)/);
  assert.match(noFe.text, /8×8 avg pool/);
  assert.match(parse(modelDiagram(preset("table3-A"))).text, /dilations 1, 1, 1, 1/);
  assert.match(parse(modelDiagram(preset("cpu-small"))).text, /6×6×16/);
});
