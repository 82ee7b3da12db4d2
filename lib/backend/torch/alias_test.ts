import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { profileKernels } from "../profile.ts";
import { alias } from "./alias.ts";
import { TORCH_BACKEND } from "./register.ts";
import { requireTorch } from "./testing.ts";

Deno.test("alias: the same data, no kernel call either way, and the gradient reaching it reaches its source", async () => {
  await requireTorch();
  const before = tf.getBackend() ?? "cpu";
  await tf.setBackend(TORCH_BACKEND);
  try {
    const v = tf.variable(tf.tensor1d([1, -2, 3]), true, "alias_v");
    const tensors = tf.memory().numTensors;
    /** sum(sin(pass(v²))) and its gradient 2v·cos(v²), with the kernels both ways. */
    const run = (pass: (t: tf.Tensor) => tf.Tensor) => {
      const prof = profileKernels(TORCH_BACKEND);
      const { value, grads } = tf.variableGrads(() => {
        const sq = tf.mul(v, v), a = pass(sq);
        if (pass === alias) assert.ok(a !== sq && a.dataId === sq.dataId, "a new tensor on the same data");
        return tf.sum(tf.sin(a)) as tf.Scalar;
      }, [v]);
      const calls = Object.fromEntries(prof.report().map((r) => [r.kernel, r.calls]));
      prof.restore();
      const out = { value: value.dataSync()[0], grad: Array.from(grads.alias_v.dataSync()), calls };
      tf.dispose([value, grads.alias_v]);
      return out;
    };
    const [aliased, direct, cloned] = [run(alias), run((t) => t), run((t) => t.clone())];
    assert.deepEqual(aliased.calls, direct.calls, "no kernel call of its own");
    assert.deepEqual([cloned.calls.Identity, cloned.calls.Cast - (direct.calls.Cast ?? 0)], [1, 1], "a clone's two");
    assert.deepEqual(aliased.grad, direct.grad);
    const want = [1, -2, 3].map((x) => 2 * x * Math.cos(x * x));
    aliased.grad.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-5, `${aliased.grad} against ${want}`));
    assert.equal(aliased.value, direct.value);
    assert.equal(tf.memory().numTensors, tensors, "every alias and its data freed");
    const y = alias(v);
    y.dispose();
    assert.deepEqual(Array.from(v.dataSync()), [1, -2, 3], "the source keeps its data");
    v.dispose();
  } finally {
    await tf.setBackend(before);
  }
});
