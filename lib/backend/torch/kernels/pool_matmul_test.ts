import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../util/rng.ts";
import { TOL } from "../../testing.ts";
import { compareTorch, requireTorch } from "../testing.ts";
import { TORCH_BACKEND } from "../register.ts";

Deno.test("torch MaxPool/AvgPool forward and gradients match cpu (windows 1–3, strides 1–3, same/valid, odd sizes)", async () => {
  const rng = new Rng("torch-pool");
  for (let i = 0; i < 16; i++) {
    const k = 1 + rng.int(3), s = 1 + rng.int(3), pad = rng.bernoulli() ? "same" as const : "valid" as const;
    const shape = [1 + rng.int(3), k + rng.int(7), k + rng.int(8), 1 + rng.int(6)];
    for (const kind of ["max", "avg"] as const) {
      const pool = (x: tf.Tensor) =>
        kind === "max" ? tf.maxPool(x as tf.Tensor4D, k, s, pad) : tf.avgPool(x as tf.Tensor4D, k, s, pad);
      const d = await compareTorch(
        [shape],
        ([x]) => [pool(x), tf.grad((x: tf.Tensor) => tf.sum(tf.square(pool(x))))(x)],
        rng,
      );
      assert.ok(d.maxRel <= TOL, `${kind} k${k} s${s} ${pad} [${shape}]: ${d.where}`);
    }
  }
});

Deno.test("torch matMul/batched/fused matmul forward and gradients match cpu (transposes, broadcast batch, bias + activation)", async () => {
  const rng = new Rng("torch-matmul");
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const [m, k, n] = [2 + rng.int(9), 1 + rng.int(12), 1 + rng.int(10)];
    const a = ta ? [k, m] : [m, k], b = tb ? [n, k] : [k, n];
    const d = await compareTorch([a, b, [n]], ([x, y, bias]) => {
      const f = (x: tf.Tensor, y: tf.Tensor, bias: tf.Tensor) =>
        tf.fused.matMul({
          a: x as tf.Tensor2D,
          b: y as tf.Tensor2D,
          transposeA: ta,
          transposeB: tb,
          bias,
          activation: "relu",
        });
      return [
        f(x, y, bias),
        tf.matMul(x, y, ta, tb),
        ...tf.grads((x, y, z) => tf.sum(tf.square(f(x, y, z))))([x, y, bias]),
      ];
    }, rng);
    assert.ok(d.maxRel <= TOL, `transpose ${ta},${tb}: ${d.where}`);
  }
  const d = await compareTorch([[3, 4, 5], [1, 5, 2], [3, 5, 2]], ([a, b, c]) => [
    tf.matMul(a, b), // tfjs has no gradient for a broadcast batch dim
    tf.matMul(a, c, false, false),
    ...tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, c))))([a, c]),
  ], rng);
  assert.ok(d.maxRel <= TOL, `batched: ${d.where}`);
});

Deno.test("torch MaxPoolGrad from the argmax kept while recording equals pooling again and cpu (ties to the first maximum); the argmax goes with the output", async () => {
  await requireTorch();
  const rng = new Rng("torch-pool-kept");
  type Mem = tf.MemoryInfo & { numTorchTensors: number };
  for (const [k, s, pad] of [[2, 2, "valid"], [3, 2, "same"], [3, 1, "same"], [2, 3, "valid"]] as const) {
    // small integers: many windows hold their maximum twice
    const values = Array.from({ length: 2 * 7 * 8 * 3 }, () => rng.int(4));
    const grads: Record<string, number[]> = {};
    for (const backend of ["cpu", TORCH_BACKEND]) {
      await tf.setBackend(backend);
      const x = tf.tensor4d(values, [2, 7, 8, 3]);
      const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, s, pad);
      const ramp = (y: tf.Tensor) => tf.reshape(tf.range(1, y.size + 1), y.shape);
      const loss = (t: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(pool(t), ramp(pool(t)))));
      grads[backend] = Array.from(tf.grad(loss)(x).dataSync());
      if (backend === TORCH_BACKEND) {
        // inference: no argmax kept, so the gradient kernel pools again, to the same values
        const y = pool(x), dy = ramp(y);
        const attrs = { filterSize: k, strides: s, pad };
        const again = tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output: y }, attrs) as tf.Tensor;
        assert.deepEqual(Array.from(again.dataSync()), grads[backend], `k${k} s${s} ${pad}: pooled again`);
        // while recording, the output holds one more libtorch tensor, freed with the gradient's tape
        const torchTensors = () => (tf.memory() as Mem).numTorchTensors;
        const torchBytes = () => (tf.memory() as Mem & { numBytesInTorch: number }).numBytesInTorch;
        const before = torchTensors();
        let held = 0, heldBytes = 0, size = 0;
        tf.grad((t: tf.Tensor) => {
          const at = torchTensors(), bytesAt = torchBytes(), y = pool(t);
          [held, heldBytes, size] = [torchTensors() - at, torchBytes() - bytesAt, y.size];
          return tf.sum(y);
        })(x).dispose();
        assert.equal(held, 2, "the output and its argmax");
        assert.equal(heldBytes, 12 * size, "a float32 output and its argmax as libtorch made it, int64");
        assert.equal(torchTensors(), before, "the argmax is freed with the output");
        tf.dispose([y, dy, again]);
      }
      x.dispose();
    }
    assert.deepEqual(grads[TORCH_BACKEND], grads.cpu, `k${k} s${s} ${pad}: kept argmax against cpu`);
  }
});
