import assert from "node:assert/strict";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { summarizeScores } from "./attention_score.ts";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { attentionProbe } from "./attention_probe.ts";

await tf.setBackend("cpu");

Deno.test("the probe scores a real network's F_m on unseen faces, the same each time, and refuses a misfit", async () => {
  const probe = await attentionProbe(24, { n: 14 });
  assert.equal(probe.images.length, 14);
  assert.deepEqual(new Set(probe.labels).size, 7);
  const fm = buildModel(preset("cpu-tiny", { inputSize: 24 }));
  const a = await probe.run(fm), b = await probe.run(fm);
  assert.equal(a.scores.length, 14);
  assert.equal(a.maps[0].width, 3, "F_m is at 1/8 of the input");
  const r = summarizeScores(a.scores).meanRatio;
  assert.ok(r > 0.5 && r < 3, `ratio ${r}`);
  assert.equal(r, summarizeScores(b.scores).meanRatio);
  const before = tf.memory().numTensors;
  await probe.run(fm);
  assert.equal(tf.memory().numTensors, before, "no tensor is left behind");
  await assert.rejects(() => probe.run(buildModel(preset("cpu-tiny", { inputSize: 32 }))), /24 px, the model takes 32/);
  await assert.rejects(
    () => probe.run(buildModel(preset("cpu-tiny", { inputSize: 24, attention: false }))),
    /no attention module/,
  );
  fm.model.dispose();
});
