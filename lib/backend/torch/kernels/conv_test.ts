import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../util/rng.ts";
import { convCases, convLabel as label, TOL } from "../../testing.ts";
import { compareTorch } from "../testing.ts";

Deno.test("torch Conv2D forward matches cpu (strides, dilations 1–5, same/valid incl. asymmetric, even kernels)", async () => {
  const rng = new Rng("torch-conv-fwd");
  for (const c of convCases(rng, 24, 4)) {
    const d = await compareTorch(
      [[c.n, c.h, c.w, c.c], [c.k[0], c.k[1], c.c, c.oc]],
      ([x, w]) => [tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad, "NHWC", c.dilation)],
      rng,
    );
    assert.ok(d.maxRel <= TOL, `${label(c)}: ${d.where}`);
  }
});

Deno.test("torch FusedConv2D with bias and each fused activation matches cpu", async () => {
  const rng = new Rng("torch-conv-fused");
  const acts = ["relu", "linear", "elu", "sigmoid", "relu6", "leakyrelu", "prelu"] as const;
  for (const [i, c] of convCases(rng, 14, 4).entries()) {
    const activation = acts[i % acts.length];
    const d = await compareTorch(
      [[c.n, c.h, c.w, c.c], [c.k[0], c.k[1], c.c, c.oc], [c.oc], [c.oc]],
      ([x, w, b, alpha]) => [
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          strides: c.stride,
          pad: c.pad,
          dilations: c.dilation,
          bias: b,
          activation,
          preluActivationWeights: activation === "prelu" ? alpha : undefined,
          leakyreluAlpha: 0.3,
        }),
      ],
      rng,
    );
    assert.ok(d.maxRel <= TOL, `${label(c)} ${activation}: ${d.where}`);
  }
});

Deno.test("torch conv2d gradients (input, filter, bias; relu fused) match cpu", async () => {
  const rng = new Rng("torch-conv-grad");
  for (const [i, c] of convCases(rng, 18, 4).filter((q) => q.dilation === 1).entries()) {
    const d = await compareTorch(
      [[c.n, c.h, c.w, c.c], [c.k[0], c.k[1], c.c, c.oc], [c.oc]],
      ([x, w, b]) =>
        tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: c.stride,
            pad: c.pad,
            bias: b,
            activation: i % 2 ? "relu" : "linear",
          })))
        )([x, w, b]),
      rng,
    );
    assert.ok(d.maxRel <= TOL, `${label(c)}: ${d.where}`);
  }
});

Deno.test("torch dilated conv2d gradients (native) equal cpu's spaceToBatch formulation of the same conv", async () => {
  const rng = new Rng("torch-conv-dilated");
  // rate 5 on 8–12 pixels: a dilated window (11) wider than x at times, some taps' inputs partly outside; rate 6 on 4
  // or 5: the outer taps' wholly outside (the shim's tap-by-tap filter gradient)
  for (const [rate, small] of [[2, false], [3, false], [5, false], [6, true]] as const) {
    const size = (base: number, spread: number) => small ? 4 + rng.int(2) : base + rng.int(spread);
    const [n, h, w, c, oc] = [2, size(9, 4), size(8, 5), 3, 4];
    const d = await compareTorch([[n, h, w, c], [3, 3, c, oc]], ([x, f]) => {
      const fwd = tf.getBackend() === "torch"
        ? (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same", "NHWC", rate)
        : (x: tf.Tensor, f: tf.Tensor) => {
          const extra = (s: number) => Math.ceil(s / rate) * rate - s;
          const pads = [[rate, rate + extra(h)], [rate, rate + extra(w)]];
          const s = tf.spaceToBatchND(x, [rate, rate], pads);
          const y = tf.conv2d(s as tf.Tensor4D, f as tf.Tensor4D, 1, "valid");
          return tf.batchToSpaceND(y, [rate, rate], [[0, extra(h)], [0, extra(w)]]);
        };
      const [gx, gf] = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.sum(tf.square(fwd(x, f))))([x, f]);
      return [fwd(x, f), gx, gf];
    }, rng);
    assert.ok(d.maxRel <= TOL, `rate ${rate}: ${d.where}`);
  }
});

Deno.test("a kernel stored in the convolutions' order (after its first convolution) reads as before everywhere", async () => {
  const rng = new Rng("torch-conv-kernel-order");
  const d = await compareTorch([[2, 7, 7, 3], [3, 3, 3, 5]], ([x, w]) => {
    const conv = (k: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, "same");
    const first = conv(w), again = conv(w); // the second reads the kernel as the first stored it
    const dw = tf.grad((k: tf.Tensor) => tf.sum(tf.square(conv(k))))(w); // a filter gradient comes out in that order
    const whole = Array.from(w.dataSync()); // a download
    return [
      first,
      again,
      dw,
      tf.add(dw, w), // an element-wise op of two kernels in that order
      tf.add(w, tf.ones(w.shape)), // and of one in it with one in tfjs's order
      tf.reshape(w, [-1]), // flat, in HWIO order
      tf.transpose(w, [3, 0, 1, 2]),
      tf.tensor1d(whole),
    ];
  }, rng);
  assert.ok(d.maxRel <= TOL, d.where);
});
