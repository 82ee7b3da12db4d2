import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { costsTable, moduleComparison, presetCosts, summarizeConfig } from "./compare.ts";
import { preset } from "./presets.ts";
import { formatCount } from "./summary.ts";

await tf.setBackend("cpu");
Deno.env.set("FER_PROGRESS", "silent");

Deno.test("presetCosts measures each preset at each size; dilations change no count", () => {
  const rows = presetCosts({ presets: ["cpu-tiny", "table1-no-lbp"], inputSizes: [16, 32] }).map((r) => r);
  assert.equal(rows.length, 4);
  const tiny16 = rows.find((r) => r.preset === "cpu-tiny" && r.inputSize === 16)!;
  const tiny32 = rows.find((r) => r.preset === "cpu-tiny" && r.inputSize === 32)!;
  // Flatten head: the first FC layer grows with the 1/8 grid (2×2 → 4×4 cells of 8 channels, 64 units).
  assert.equal(tiny32.params - tiny16.params, (16 - 4) * 8 * 64);
  assert.ok(tiny32.macs > 3.9 * tiny16.macs && tiny32.macs < 4.1 * tiny16.macs, "convs scale with pixels");
  const table = costsTable(rows);
  assert.deepEqual(Object.keys(table[0]), ["preset", "params @16", "MACs @16", "params @32", "MACs @32"]);
  assert.deepEqual(table.map((r) => r.preset), ["cpu-tiny", "table1-no-lbp"]);
  assert.equal(table[0]["MACs @32"], formatCount(tiny32.macs));
  // The cache ignores dilations and LBP kind; check (without a cache) that they really change no count.
  const size = { inputSize: 16, width: 0.125 };
  const a = summarizeConfig(preset("table3-A", size));
  const e = summarizeConfig(preset("table3-E", size));
  const u = summarizeConfig(preset("table1-uniform-lbp", size));
  assert.deepEqual(a, e);
  assert.deepEqual(u, e);
});

Deno.test("moduleComparison marks absent modules and ends with the totals", () => {
  const size = { inputSize: 16, width: 0.125 };
  const complete = summarizeConfig(preset("table2-complete", size));
  const noAtt = summarizeConfig(preset("table2-no-attention", size));
  const rows = moduleComparison({ complete, "no attention": noAtt });
  const trunk = rows.find((r) => r.module === "att/trunk")!;
  assert.notEqual(trunk["complete params"], "—");
  assert.equal(trunk["no attention params"], "—");
  assert.equal(
    rows.find((r) => r.module === "rec")!["no attention MACs"],
    rows.find((r) => r.module === "rec")!["complete MACs"],
  );
  assert.deepEqual(rows.at(-1), {
    module: "total",
    "complete params": formatCount(complete.params),
    "complete MACs": formatCount(complete.macs),
    "no attention params": formatCount(noAtt.params),
    "no attention MACs": formatCount(noAtt.macs),
  });
});
