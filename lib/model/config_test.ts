import assert from "node:assert/strict";
import { defaultConfig, featureGridSize, scaledChannels, validateConfig } from "./config.ts";
import { preset, PRESETS, TABLE_PRESETS } from "./presets.ts";

Deno.test("defaultConfig is the paper's full network at 48×48 and survives JSON", () => {
  const c = defaultConfig();
  assert.equal(c.inputSize, 48);
  assert.equal(c.lbp, "circle");
  assert.deepEqual(c.dilations, [2, 3, 4, 5]);
  assert.equal(c.bnMomentum, 0.9);
  assert.ok(c.featureExtraction && c.attention && c.reconstruction);
  assert.deepEqual(validateConfig(JSON.parse(JSON.stringify(c))), c);
  assert.equal(defaultConfig({ width: 0.25 }).width, 0.25);
  assert.equal(defaultConfig({ width: undefined, inputSize: 96 }).width, 1, "undefined overrides are ignored");
});

Deno.test("validateConfig names the offending field", () => {
  const good = defaultConfig() as unknown as Record<string, unknown>;
  const bad = (o: Record<string, unknown>) => () => validateConfig({ ...good, ...o });
  assert.throws(bad({ inputSize: 7 }), /inputSize must be an integer in \[8, 4096\], got 7/);
  assert.throws(bad({ width: 0 }), /width must be a number in \(0, 4\]/);
  assert.throws(bad({ lbp: "sobel" }), /lbp must be one of "none", "original", "circle", "uniform", got "sobel"/);
  assert.throws(bad({ attention: "yes" }), /attention must be true or false/);
  assert.throws(bad({ dilations: [] }), /dilations must be a list of 1-8 integers/);
  assert.throws(bad({ dilations: [2, 0] }), /dilations must be a list/);
  assert.throws(bad({ dropout: 1 }), /dropout must be a number in \[0, 1\)/);
  assert.throws(bad({ numClasses: 1 }), /numClasses must be an integer in \[2, 1000\]/);
  assert.throws(bad({ head: "max" }), /head must be one of "flatten", "gap"/);
  assert.throws(bad({ attentionSkip: 0 }), /attentionSkip must be true or false, got 0/);
  assert.throws(bad({ maskBias: -30 }), /maskBias must be a number in \[-20, 20\], got -30/);
  assert.throws(bad({ colour: true }), /unknown field\(s\) colour/);
  const { seed: _, ...noSeed } = good;
  assert.throws(() => validateConfig(noSeed), /seed must be an integer/);
  assert.throws(() => validateConfig(null), /must be an object, got null/);
  assert.throws(() => validateConfig([1]), /must be an object/);
});

Deno.test("validateConfig reads a number fcUnits as one layer and defaults the later fields", () => {
  const { attentionMode: _a, maskInput: _m, head: _h, attentionSkip: _s, maskBias: _b, ...old } = defaultConfig();
  const c = validateConfig({ ...old, fcUnits: 64 });
  assert.deepEqual(c.fcUnits, [64]);
  assert.equal(c.attentionMode, "product");
  assert.equal(c.maskInput, "fused+lbp");
  assert.equal(c.head, "flatten");
  assert.equal(c.attentionSkip, true);
  assert.equal(c.maskBias, 0);
});

Deno.test("presets follow the paper's table rows", () => {
  assert.deepEqual(TABLE_PRESETS.length, 4 + 4 + 5);
  assert.deepEqual(
    ["original", "uniform", "circle", "none"].map((k) => PRESETS[`table1-${k === "none" ? "no" : k}-lbp`].lbp),
    ["original", "uniform", "circle", "none"],
  );
  assert.equal(PRESETS["table2-no-feature-extraction"].featureExtraction, false);
  assert.equal(PRESETS["table2-no-attention"].attention, false);
  assert.equal(PRESETS["table2-no-reconstruction"].reconstruction, false);
  assert.deepEqual(
    ["A", "B", "C", "D", "E"].map((r) => PRESETS[`table3-${r}`].dilations),
    [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4], [2, 3, 4, 5]],
  );
  assert.deepEqual(PRESETS["table2-complete"], PRESETS["paper"]);
  assert.equal(PRESETS.paper.inputSize, 256);
  assert.equal(PRESETS["cpu-small"].inputSize, 48);
  assert.equal(preset("table3-A", { width: 0.5 }).width, 0.5);
  assert.equal(PRESETS["table3-A"].width, 1, "overrides must not leak into the preset");
  assert.throws(() => preset("table9"), /unknown model preset "table9"; known: paper, table1-original-lbp/);
  assert.throws(() => preset("paper", { inputSize: 3 }), /inputSize/);
});

Deno.test("channel scaling and the 1/8 feature grid", () => {
  assert.equal(scaledChannels(512, 0.25), 128);
  assert.equal(scaledChannels(64, 1 / 128), 1);
  assert.deepEqual([256, 48, 40, 17].map(featureGridSize), [32, 6, 5, 2]);
});
