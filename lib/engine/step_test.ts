import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { randomBatch, TINY } from "../model/testing.ts";
import { trainPreset } from "./config.ts";
import { weightedCrossEntropy } from "./loss.ts";
import { makeOptimizer } from "./optimizer.ts";
import { trainStep } from "./step.ts";

Deno.test("trainStep with plain SGD moves kernels by lr·(g + wd·W) and the other weights by lr·g, and returns the data loss", async () => {
  await tf.setBackend("cpu");
  const fm = buildModel(preset("cpu-tiny", TINY));
  const { xs, ys } = randomBatch(fm.config, 4, 2);
  const config = trainPreset("sgd", { momentum: 0, lr: 0.05, weightDecay: 0.1, labelSmoothing: 0.1 });
  const vars = fm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const cw = tf.tensor1d([1, 2, 1, 1, 1, 1, 1]);
  const loss = () =>
    weightedCrossEntropy(fm.model.apply(xs, { training: true }) as tf.Tensor2D, ys, cw, config.labelSmoothing);
  // Batch statistics only: the moving averages the step also updates do not enter a training-mode forward pass.
  const { value, grads } = tf.variableGrads(loss, vars);
  const expected = vars.map((v) =>
    tf.tidy(() => tf.sub(v, tf.mul(config.lr, v.rank >= 2 ? tf.add(grads[v.name], tf.mul(0.1, v)) : grads[v.name])))
  );
  const optimizer = makeOptimizer(config);
  const { cost, nCorrect } = trainStep({
    model: fm,
    inputs: xs,
    labels: ys,
    optimizer,
    vars,
    classWeights: cw,
    config,
  });
  assert.ok(Math.abs(cost.dataSync()[0] - value.dataSync()[0]) < 1e-6, "the step's loss is the data term");
  assert.ok(nCorrect.dataSync()[0] >= 0 && nCorrect.dataSync()[0] <= 4);
  let worst = 0, moved = 0;
  vars.forEach((v, i) => {
    const got = v.dataSync(), want = expected[i].dataSync();
    for (let j = 0; j < got.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
    moved = Math.max(moved, tf.tidy(() => tf.max(tf.abs(tf.mul(config.lr, grads[v.name]))).dataSync()[0]));
  });
  assert.ok(worst < 1e-6, `weights differ from lr·(g + wd·W) by ${worst}`);
  assert.ok(moved > 1e-3, `the step moved nothing (${moved})`);
  tf.dispose([value, cost, nCorrect, cw, ...Object.values(grads), ...expected, ...xs, ys]);
  optimizer.dispose();
  fm.model.dispose();
});
