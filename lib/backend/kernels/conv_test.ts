import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { compareBackends, convCases, convLabel as label, TOL } from "../testing.ts";

Deno.test("Conv2D forward matches the cpu backend (strides, dilations 1–5, padding, odd sizes)", async () => {
  const rng = new Rng("conv-fwd");
  for (const c of convCases(rng, 24)) {
    const d = await compareBackends(
      [[c.n, c.h, c.w, c.c], [c.k[0], c.k[1], c.c, c.oc]],
      ([x, w]) => [tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad, "NHWC", c.dilation)],
      rng,
    );
    assert.ok(d.maxRel <= TOL, `${label(c)}: ${d.where}`);
  }
});

Deno.test("fused conv2d with bias and relu/linear/elu matches the cpu backend", async () => {
  const rng = new Rng("conv-fused");
  for (const [i, c] of convCases(rng, 12).entries()) {
    const activation = (["relu", "linear", "elu"] as const)[i % 3];
    const d = await compareBackends(
      [[c.n, c.h, c.w, c.c], [c.k[0], c.k[1], c.c, c.oc], [c.oc]],
      ([x, w, b]) => [
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          strides: c.stride,
          pad: c.pad,
          dilations: c.dilation,
          bias: b,
          activation,
        }),
      ],
      rng,
    );
    assert.ok(d.maxRel <= TOL, `${label(c)} ${activation}: ${d.where}`);
  }
});

Deno.test("conv2d gradients (Conv2DBackpropInput/Filter, bias) match the cpu backend", async () => {
  const rng = new Rng("conv-grad");
  for (const c of convCases(rng, 18).filter((q) => q.dilation === 1)) {
    const d = await compareBackends(
      [[c.n, c.h, c.w, c.c], [c.k[0], c.k[1], c.c, c.oc], [c.oc]],
      ([x, w, b]) => {
        const g = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(
            tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: c.stride, pad: c.pad, bias: b }),
          ))
        );
        return g([x, w, b]);
      },
      rng,
    );
    assert.ok(d.maxRel <= TOL, `${label(c)}: ${d.where}`);
  }
});

Deno.test("dilated conv as spaceToBatchND → conv2d → batchToSpaceND: forward and gradient match", async () => {
  const rng = new Rng("conv-dilated-s2b");
  for (const rate of [2, 3, 5]) {
    const [n, h, w, c, oc] = [2, 9 + rng.int(4), 8 + rng.int(5), 3, 4];
    const d = await compareBackends([[n, h, w, c], [3, 3, c, oc]], ([x, f]) => {
      const extra = (s: number) => Math.ceil(s / rate) * rate - s;
      const pads = [[0, extra(h)], [0, extra(w)]];
      const fwd = (x: tf.Tensor, f: tf.Tensor) => {
        const s = tf.spaceToBatchND(x, [rate, rate], pads);
        const y = tf.conv2d(s as tf.Tensor4D, f as tf.Tensor4D, 1, "same");
        return tf.batchToSpaceND(y, [rate, rate], pads);
      };
      const [gx, gf] = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.sum(tf.square(fwd(x, f))))([x, f]);
      return [fwd(x, f), gx, gf];
    }, rng);
    assert.ok(d.maxRel <= TOL, `rate ${rate}: ${d.where}`);
  }
});
