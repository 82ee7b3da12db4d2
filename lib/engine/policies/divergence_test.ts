import assert from "node:assert/strict";
import { DivergenceGuard, divergenceMessage } from "./divergence.ts";

Deno.test("the divergence guard fires after 6 batches in a row above 3 ln k, and a good batch resets it", () => {
  const g = new DivergenceGuard(7);
  assert.ok(Math.abs(g.limit - 3 * Math.log(7)) < 1e-12);
  const feed = (epoch: number, batch: number, loss: number) => g.observe({ epoch, batch, loss });
  for (let b = 1; b <= 5; b++) assert.equal(feed(1, b, 9), null);
  assert.equal(g.climbing, true);
  assert.equal(feed(1, 6, 1.9), null, "one batch at the loss of guessing resets the count");
  assert.equal(g.climbing, false);
  for (let b = 7; b <= 11; b++) assert.equal(feed(1, b, 9), null);
  const d = feed(2, 1, 13.43);
  assert.deepEqual([d?.from, d?.to], [{ epoch: 1, batch: 7, loss: 9 }, { epoch: 2, batch: 1, loss: 13.43 }]);
  assert.equal(
    divergenceMessage(d!, { lr: 10, checkpoint: { path: "run/checkpoint/ckpt.bin", epoch: 3 } }),
    "training diverged: the batch loss stayed above 5.84 (3 × ln 7, guessing scores 1.95) for 6 batches in a row, " +
      "from epoch 1 batch 7 to epoch 2 batch 1 (last 13.43, lr 10). The last good checkpoint is " +
      "run/checkpoint/ckpt.bin (epoch 3). Lower the learning rate and start a new run.",
  );
  assert.match(divergenceMessage(d!, { lr: 10, checkpoint: null }), /No checkpoint was written before it\./);
});
