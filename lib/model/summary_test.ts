import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { buildModel } from "./build.ts";
import { preset } from "./presets.ts";
import { formatCount, moduleOf, summarizeModel, summarizeModules, summaryMarkdown } from "./summary.ts";

await tf.setBackend("cpu");

Deno.test("layer MACs follow H·W·k²·Cin·Cout for convs and Cin·Cout for dense layers", () => {
  const fm = buildModel(preset("cpu-small", { inputSize: 32 })); // width 0.25: VGG 16…128, reductions 16
  const s = summarizeModel(fm);
  const row = (n: string) => s.layers.find((l) => l.name === n)!;
  assert.equal(row("raw/conv1_1").macs, 32 * 32 * 9 * 1 * 16);
  assert.equal(row("raw/conv1_2").macs, 32 * 32 * 9 * 16 * 16);
  assert.equal(row("lbp/conv4_3").macs, 4 * 4 * 9 * 128 * 128);
  assert.equal(row("raw/reduce1").macs, 4 * 4 * 128 * 16);
  assert.equal(row("att/mask/conv1").macs, 4 * 4 * 9 * 32 * 16, "mask reads concat(F3, F2)");
  assert.equal(row("rec/atrous3").macs, 4 * 4 * 9 * (16 * 4) * 16, "reads A, d1, d2 and F1");
  assert.equal(row("cls/fc1").macs, 4 * 4 * 16 * 128);
  assert.equal(row("att/refine").macs, 4 * 4 * 16);
  assert.equal(row("raw/conv1_1_bn").macs, 0);
  assert.deepEqual(row("rec/atrous3").outputShape, [4, 4, 16]);
  assert.equal(row("rec/atrous3").type, "AtrousConv2D");
  assert.equal(row("att/mask/fm").module, "att/mask");
  assert.equal(s.params, fm.model.countParams());
  // BatchNorm moving mean/variance are the only non-trainable weights: 2 per channel.
  const bnChannels = s.layers.filter((l) => l.type === "BatchNormalization").reduce((n, l) => n + l.outputShape[2], 0);
  assert.equal(s.params - s.trainableParams, 2 * bnChannels);
  assert.equal(s.macs, s.layers.reduce((n, l) => n + l.macs, 0));
  fm.model.dispose();
});

Deno.test("module totals add up and switching a module off removes its parameters and MACs", () => {
  const size = { inputSize: 32, width: 0.125 };
  const full = buildModel(preset("table2-complete", size));
  const noRec = buildModel(preset("table2-no-reconstruction", size));
  const sf = summarizeModel(full);
  const sr = summarizeModel(noRec);
  const mods = summarizeModules(sf);
  assert.equal(mods.reduce((n, m) => n + m.params, 0), sf.params);
  assert.equal(mods.reduce((n, m) => n + m.macs, 0), sf.macs);
  const rec = mods.find((m) => m.module === "rec")!;
  assert.equal(sr.params, sf.params - rec.params);
  assert.equal(sr.macs, sf.macs - rec.macs);
  const md = summaryMarkdown(sf);
  assert.match(md, /\| rec\/atrous4 \| rec \| AtrousConv2D \| 4×4×8 \|/);
  assert.match(md, new RegExp(`\\*\\*total\\*\\* \\| ${sf.layers.length} \\|`));
  assert.doesNotMatch(summaryMarkdown(sf, { layers: false }), /rec\/atrous4/);
  full.model.dispose();
  noRec.model.dispose();
});

Deno.test("moduleOf and formatCount", () => {
  assert.equal(moduleOf("att/trunk/conv1_bn"), "att/trunk");
  assert.equal(moduleOf("att/skip"), "att");
  assert.equal(moduleOf("input/lbp"), "input");
  assert.equal(moduleOf("dense_1"), "other");
  assert.deepEqual([999, 1234, 2_500_000, 3_210_000_000].map(formatCount), ["999", "1.2k", "2.50M", "3.21G"]);
});
