import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Rng } from "../util/rng.ts";
import { addScaled } from "./add_scaled.ts";
import { profileKernels } from "./profile.ts";
import { TORCH_BACKEND } from "./torch/register.ts";
import { requireTorch } from "./torch/testing.ts";

const ALPHA = 5e-4; // not a float32: both ways round it alike

Deno.test("addScaled: one call on torch, tfjs's multiply-then-add bits on torch and on cpu", async () => {
  await requireTorch();
  const before = tf.getBackend() ?? "cpu";
  try {
    for (const backend of [TORCH_BACKEND, "cpu"]) {
      await tf.setBackend(backend);
      const rng = new Rng(`add-scaled-${backend}`);
      const shapes = [[3, 3, 2, 4], [7], [5, 6]];
      const t = (s: number[]) => tf.tensor(Array.from({ length: s.reduce((p, q) => p * q) }, () => rng.normal()), s);
      const a = shapes.map(t), b = shapes.map(t);
      const prof = profileKernels(backend);
      const got = addScaled(a, b, ALPHA);
      const calls = Object.fromEntries(prof.report().map((r) => [r.kernel, r.calls]));
      prof.restore();
      const want = a.map((x, k) => tf.add(x, tf.mul(b[k], ALPHA)));
      got.forEach((g, k) => assert.deepEqual(g.dataSync(), want[k].dataSync(), `${backend} pair ${k}`));
      if (backend === TORCH_BACKEND) assert.deepEqual(calls, { TorchAddScaled: 1 });
      else assert.deepEqual(calls, { Multiply: 3, Add: 3 });
      assert.deepEqual(addScaled([], [], ALPHA), []);
      assert.throws(() => addScaled(a, b.slice(1), ALPHA), /3 tensors against 2/);
      tf.dispose([...a, ...b, ...got, ...want]);
    }
  } finally {
    await tf.setBackend(before);
  }
});
