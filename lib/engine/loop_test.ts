import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { trainPreset } from "./config.ts";
import type { EpochMetrics } from "./epoch.ts";
import { train } from "./loop.ts";
import { checkpointPath } from "./policies/checkpointing.ts";
import { readCheckpoint } from "./checkpoint.ts";
import { lbp3x3, patternDataset, tinyModel } from "./testdata/fixtures.ts";

Deno.env.set("FER_PROGRESS", "silent");
await tf.setBackend("cpu");

const ds = patternDataset({ n: 90, size: 16, seed: 7 });
const idx = ds.samples.map((_, i) => i);
const trainIdx = idx.filter((i) => i % 5 !== 0), valIdx = idx.filter((i) => i % 5 === 0);

Deno.test("training learns the patterns, keeps the tensor count flat and checkpoints every epoch", async () => {
  const dir = await Deno.makeTempDir();
  const fm = tinyModel({ size: 16, numClasses: 3, lbp: true, seed: 3 });
  const counts: number[] = [];
  const r = await train({
    model: fm,
    dataset: ds,
    trainIndices: trainIdx,
    valIndices: valIdx,
    config: trainPreset("default", { epochs: 6, batchSize: 8, lr: 0.02, augment: false }),
    lbp: lbp3x3,
    runDir: dir,
    onEpoch: (_m, info) => void counts.push(info.memory.at(-1)!.tensors),
  });
  assert.equal(r.history.length, 6);
  assert.ok(r.history[5].loss < r.history[0].loss, `loss fell: ${r.history.map((h) => h.loss)}`);
  const bestAcc = Math.max(...r.history.map((h) => h.val_accuracy));
  assert.ok(bestAcc > 0.6, `val accuracy ${bestAcc} beats chance (1/3)`);
  assert.equal(r.history[r.bestEpoch - 1].val_accuracy, bestAcc);
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor count per epoch: ${counts}`);
  assert.deepEqual(r.memory.map((m) => m.epoch), [1, 2, 3, 4, 5, 6]);
  const ck = await readCheckpoint<{ epoch: number; history: EpochMetrics[] }>(checkpointPath(dir));
  assert.equal(ck.state.epoch, 6);
  assert.deepEqual(ck.state.history, r.history);
  assert.equal(ck.groups.model.length, fm.model.weights.length);
  assert.ok(ck.groups.optimizer.length > 1, "Adam moments are stored");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a NaN loss stops training with a clear message", async () => {
  const fm = tinyModel({ size: 16, numClasses: 3, lbp: false, seed: 3 });
  await assert.rejects(
    () =>
      train({
        model: fm,
        dataset: ds,
        trainIndices: trainIdx,
        valIndices: valIdx,
        config: trainPreset("default", { epochs: 1, batchSize: 8, lr: 1e30, classWeights: [Infinity, 1, 1] }),
      }),
    /loss became (NaN|Infinity) at epoch 1, batch \d+.*Try a lower learning rate/,
  );
});

Deno.test("a time budget stops before an epoch that would overrun it, with the best weights", async () => {
  const run = (epochs: number, timeBudgetSeconds: number) =>
    train({
      model: tinyModel({ size: 16, numClasses: 3, lbp: false, seed: 3 }),
      dataset: ds,
      trainIndices: trainIdx,
      valIndices: valIdx,
      config: trainPreset("default", { epochs, batchSize: 8, lr: 0.02, augment: false }),
      timeBudgetSeconds,
    });
  const r = await run(5, 0);
  assert.equal(r.stopReason, "time-budget");
  assert.equal(r.history.length, 1);
  assert.equal(r.bestEpoch, 1);
  const full = await run(2, 3600);
  assert.equal(full.stopReason, "epochs");
  assert.equal(full.history.length, 2);
});

async function runTiny(dir: string, epochs: number, resume: boolean, killAt?: string) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./testdata/tiny_run.ts", import.meta.url).pathname, dir, String(epochs)].concat(
      resume ? ["--resume"] : [],
    ),
    stdout: "piped",
    stderr: "null",
    env: { FER_PROGRESS: "silent" },
  }).spawn();
  let out = "";
  const dec = new TextDecoder();
  for await (const chunk of cmd.stdout) {
    out += dec.decode(chunk);
    if (killAt && out.includes(`${killAt}\n`)) {
      cmd.kill("SIGKILL");
      break;
    }
  }
  const status = await cmd.status;
  return { status, out };
}

Deno.test("a run killed mid-epoch and resumed has the same per-epoch history as an uninterrupted run", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  const full = await runTiny(a, 4, false);
  assert.equal(full.status.code, 0);
  const killed = await runTiny(b, 4, false, "batch 3 4"); // epoch 3, 5th step of 9
  assert.notEqual(killed.status.code, 0, "the first run was really killed");
  const ck = await readCheckpoint<{ epoch: number }>(checkpointPath(b));
  assert.equal(ck.state.epoch, 2, "the last checkpoint is the end of epoch 2");
  const resumed = await runTiny(b, 4, true);
  assert.equal(resumed.status.code, 0);
  const last = (s: string) => JSON.parse(s.trim().split("\n").at(-1)!);
  const strip = (h: EpochMetrics[]) => h.map(({ seconds: _s, img_per_s: _i, ...rest }) => rest);
  assert.equal(last(resumed.out).resumedFrom, 2);
  assert.deepEqual(strip(last(resumed.out).history), strip(last(full.out).history));
  await Deno.remove(a, { recursive: true });
  await Deno.remove(b, { recursive: true });
});
