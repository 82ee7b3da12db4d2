import assert from "node:assert/strict";
import { trainPreset } from "../config.ts";
import type { EpochMetrics } from "../epoch.ts";
import { cosineLr, initialSchedule, lrForEpoch, scheduleAfterEpoch, stepLr } from "./lr_schedule.ts";
import { earlyStop, initialSelection, selectAfterEpoch } from "./selection.ts";
import { overBudget } from "./time_budget.ts";

const row = (epoch: number, val_loss: number, val_accuracy: number): EpochMetrics => ({
  epoch,
  loss: 1,
  accuracy: 0.5,
  val_loss,
  val_accuracy,
  lr: 1e-3,
  seconds: 1,
  img_per_s: 1,
});

Deno.test("cosine schedule starts at lr and ends at minLr", () => {
  assert.equal(cosineLr(1e-3, 1e-5, 0, 10), 1e-3);
  assert.ok(Math.abs(cosineLr(1e-3, 1e-5, 10, 10) - 1e-5) < 1e-15);
  assert.ok(Math.abs(cosineLr(1e-3, 0, 5, 10) - 5e-4) < 1e-15);
  const cfg = trainPreset("cosine", { epochs: 10 }), st = initialSchedule(cfg);
  assert.equal(lrForEpoch(cfg, st, 5), cosineLr(1e-3, 1e-5, 5, 10));
  assert.equal(st.lr, cosineLr(1e-3, 1e-5, 5, 10), "the rate is recorded for the checkpoint");
});

Deno.test("step decay follows PyTorch's MultiStepLR: milestone m decays from 0-based epoch m", () => {
  const lrs = Array.from({ length: 8 }, (_, e) => stepLr(1, [3, 6], 0.1, e));
  assert.deepEqual(lrs.map((x) => +x.toPrecision(6)), [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01]);
  const cfg = trainPreset("sgd", { schedule: { kind: "step", milestones: [2], factor: 0.5 } });
  const st = initialSchedule(cfg);
  assert.deepEqual([0, 1, 2, 3].map((e) => lrForEpoch(cfg, st, e)), [0.01, 0.01, 0.005, 0.005]);
});

Deno.test("plateau halves the rate after `patience` epochs without a better validation loss, not below minLr", () => {
  const cfg = trainPreset("default"), st = initialSchedule(cfg); // factor 0.5, patience 3, minLr 1e-5
  const losses = [1.0, 0.9, 0.95, 0.91, 0.9000, 0.89];
  const rates = losses.map((v, i) => (scheduleAfterEpoch(cfg, st, row(i + 1, v, 0), true), lrForEpoch(cfg, st, i + 1)));
  assert.deepEqual(rates, [1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4]);
  st.lr = 1.5e-5;
  for (let i = 0; i < 3; i++) scheduleAfterEpoch(cfg, st, row(9, 2, 0), true);
  assert.equal(st.lr, 1e-5);
});

Deno.test("selection keeps the best validation accuracy and stops after `patience` epochs without it", () => {
  const cfg = trainPreset("default", { earlyStopping: { monitor: "val_accuracy", patience: 2 } });
  const st = initialSelection(cfg);
  const best = [0.5, 0.6, 0.55, 0.6, 0.58].map((acc, i) => selectAfterEpoch(cfg, st, row(i + 1, 1, acc), true));
  assert.deepEqual(best, [true, true, false, false, false]);
  assert.equal(st.bestEpoch, 2);
  assert.equal(earlyStop(cfg, st), true);
  const never = trainPreset("default", { earlyStopping: { monitor: "val_loss", patience: 0 } });
  const s2 = initialSelection(never);
  assert.equal(selectAfterEpoch(never, s2, row(1, 0.9, 0), true), true);
  assert.equal(selectAfterEpoch(never, s2, row(2, 1.2, 0), true), false);
  assert.equal(earlyStop(never, { ...s2, early: { best: 0.9, wait: 99 } }), false);
  assert.equal(
    selectAfterEpoch(never, s2, row(3, NaN, 0), false),
    true,
    "without validation every epoch is the latest best",
  );
});

Deno.test("keep: last ends with the last epoch's weights; the metric still drives early stopping", () => {
  const cfg = trainPreset("cpu", { earlyStopping: { monitor: "val_accuracy", patience: 2 } });
  assert.equal(cfg.keep, "last", "the cpu recipe keeps the schedule's end");
  const st = initialSelection(cfg);
  const kept = [0.5, 0.9, 0.6, 0.7].map((acc, i) => selectAfterEpoch(cfg, st, row(i + 1, 1, acc), true));
  assert.deepEqual(kept, [true, true, true, true]);
  assert.equal(st.bestEpoch, 4);
  assert.equal(st.bestIsCurrent, true);
  assert.equal(earlyStop(cfg, st), true, "two epochs without beating 0.9");
  assert.throws(() => trainPreset("cpu", { keep: "first" as "last" }), /keep must be best or last, got first/);
});

Deno.test("the time budget refuses an epoch that would end past it, never the last one", () => {
  assert.equal(overBudget({ budgetSeconds: 100, spentSeconds: 60, lastEpochSeconds: 50, epochsLeft: 2 }), true);
  assert.equal(overBudget({ budgetSeconds: 100, spentSeconds: 40, lastEpochSeconds: 50, epochsLeft: 2 }), false);
  assert.equal(overBudget({ budgetSeconds: 100, spentSeconds: 99, lastEpochSeconds: 50, epochsLeft: 0 }), false);
  assert.equal(overBudget({ spentSeconds: 1e9, lastEpochSeconds: 50, epochsLeft: 2 }), false);
});
