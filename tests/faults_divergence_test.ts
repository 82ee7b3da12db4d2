/**
 * The fault suite's divergence case (issue 16, #1): at a learning rate of 10 the loss climbs far above
 * that of guessing and stays there (cross-entropy is clipped, so it never becomes NaN); training must
 * stop with a clear message naming the last good checkpoint, and the run be recorded as failed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fer, readRecord, runDirs, tinySpec } from "./faults_corpus.ts";

Deno.test("#1 a diverging run stops with a message naming the last good checkpoint and is recorded as failed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-faults-divergence-" });
  const spec = await tinySpec(dir, { epochs: 6, lr: 10 });
  const r = await fer(["train", "--config", spec, "--runs", `${dir}/runs`]);
  assert.equal(r.code, 1, r.err);
  const message =
    /^fer train: training diverged: the batch loss stayed above 5\.84 \(3 × ln 7, guessing scores 1\.95\) for 6 batches in a row, from epoch \d+ batch \d+ to epoch \d+ batch \d+ \(last \d+\.\d+, lr 10\)\. (The last good checkpoint is .*\/checkpoint\/ckpt\.bin \(epoch \d+\)|No checkpoint was written before it)\. Lower the learning rate and start a new run\.$/m;
  assert.match(r.err, message);
  const [run] = await runDirs(`${dir}/runs`);
  const rec = await readRecord(run);
  assert.equal(rec.status, "failed");
  assert.match(`fer train: ${rec.error}`, message);
  await Deno.remove(dir, { recursive: true });
});
