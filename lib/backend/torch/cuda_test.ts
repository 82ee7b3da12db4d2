/**
 * The torch backend on a CUDA GPU. Runs when torch reports a CUDA device (the backend then picks
 * it: --device auto), and is skipped with a message otherwise. The other torch test files run on the
 * GPU too when there is one (tools/torch_device_tests.ts bundles them for tools/gpu_device.sh).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { TOL } from "../testing.ts";
import { registerTorchBackend, setTorchPrecision, TORCH_BACKEND } from "./register.ts";
import { compareTorch, requireTorch } from "./testing.ts";

const reg = await registerTorchBackend({ threads: 1 });
const cuda = reg.ok && (reg.info?.cuda_devices ?? 0) > 0;
const skip = (what: string) =>
  cuda ? what : `${what}: skipped, torch sees no CUDA device (${reg.ok ? reg.info?.torch : reg.reason.split("\n")[0]})`;

Deno.test({
  name: skip("torch on CUDA: auto picks the GPU, tensors round-trip, memory is accounted and freed"),
  ignore: !cuda,
  async fn() {
    await requireTorch();
    assert.match(reg.device!, /^cuda:\d+$/);
    await tf.setBackend(TORCH_BACKEND);
    const before = (tf.memory() as unknown as { numBytesInTorch: number }).numBytesInTorch;
    const x = tf.tensor([[1, 2], [3, 4]]);
    assert.deepEqual(await tf.matMul(x, x).array(), [[7, 10], [15, 22]]);
    tf.dispose(x);
    assert.equal((tf.memory() as unknown as { numBytesInTorch: number }).numBytesInTorch, before);
  },
});

Deno.test({
  name: skip(
    "torch on CUDA (fp32, TF32 off): conv (and dilated), pools, matmul, softmax loss match cpu with gradients",
  ),
  ignore: !cuda,
  async fn() {
    const rng = new Rng("torch-cuda");
    const d = await compareTorch([[4, 13, 11, 8], [3, 3, 8, 16], [16], [4, 7]], ([x, w, b, t]) => {
      const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        const y = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"), b));
        const p = tf.avgPool(tf.maxPool(y as tf.Tensor4D, 2, 2, "same"), 2, 1, "valid");
        const logits = tf.matMul(tf.reshape(p, [4, -1]), tf.ones([p.size / 4, 7]));
        return tf.sum(tf.mul(t, tf.logSoftmax(tf.mul(logits, 0.01))));
      };
      const dilated = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same", "NHWC", 3);
      return [f(x, w, b), ...tf.grads(f)([x, w, b]), dilated];
    }, rng);
    assert.ok(d.maxRel <= TOL * 10, d.where);
  },
});

Deno.test(`torch ${cuda ? "tf32 and bf16" : "bf16 (no GPU: tf32 is CUDA-only)"} convolutions stay within their precision of fp32`, async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  const rng = new Rng("torch-precision");
  const x = tf.tensor4d(Float32Array.from({ length: 8 * 32 * 32 * 16 }, () => rng.normal()), [8, 32, 32, 16]);
  const w = tf.tensor4d(Float32Array.from({ length: 9 * 16 * 32 }, () => rng.normal() * 0.1), [3, 3, 16, 32]);
  const run = () => tf.tidy(() => tf.conv2d(x, w, 1, "same").dataSync() as Float32Array);
  const ref = run();
  const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const modes: ["tf32" | "bf16", number][] = cuda ? [["tf32", 5e-3], ["bf16", 3e-2]] : [["bf16", 3e-2]];
  for (const [precision, tol] of modes) {
    setTorchPrecision(precision);
    const got = run();
    let worst = 0;
    ref.forEach((v, i) => worst = Math.max(worst, Math.abs(got[i] - v) / scale));
    assert.ok(worst <= tol, `${precision}: ${worst}`);
    assert.ok(worst > 0, `${precision}: the result must differ from fp32's, or the mode did nothing`);
  }
  setTorchPrecision("fp32");
  tf.dispose([x, w]);
});
