import assert from "node:assert/strict";
import { formatDuration, formatLine, Progress, type ProgressState } from "./progress.ts";

Deno.test("progress counts, throttles and finishes once", () => {
  const seen: ProgressState[] = [];
  const p = new Progress({
    label: "lbp",
    total: 10,
    unit: "img",
    intervalMs: 1e9,
    sink: { update: (s) => seen.push(s) },
  });
  for (let i = 0; i < 10; i++) p.tick(1, { loss: 1 / (i + 1) });
  assert.equal(seen.length, 1, "throttled to the first draw");
  assert.equal(seen[0].done, 1);
  p.done();
  p.done();
  assert.equal(seen.length, 2);
  const last = seen[1];
  assert.equal(last.done, 10);
  assert.equal(last.finished, true);
  assert.equal(last.metrics.loss, 0.1);
  assert.ok(last.rate > 0);
});

Deno.test("formatLine shows count, bar, rate, ETA and metrics", () => {
  const line = formatLine({
    label: "train",
    unit: "img",
    done: 50,
    total: 100,
    elapsedMs: 5000,
    rate: 10,
    etaMs: 5000,
    metrics: { loss: 0.123456, epoch: 2 },
    finished: false,
  }, 10);
  assert.equal(line, "train 50/100 [=====     ] 10.00 img/s ETA 5s loss=0.1235 epoch=2");
  assert.equal(formatDuration(3725_000), "1h02m");
  assert.equal(formatDuration(185_000), "3m05s");
});
