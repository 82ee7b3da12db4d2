import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../util/rng.ts";
import { compareBackends, TOL } from "../testing.ts";

interface Case {
  n: number;
  h: number;
  w: number;
  c: number;
  oc: number;
  k: [number, number];
  stride: number;
  dilation: number;
  pad: "same" | "valid";
}

/** Random conv problems: strides 1–2, dilation 1–5 (only with stride 1, as tfjs requires), odd sizes. */
function cases(rng: Rng, count: number): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const dilation = i % 3 === 2 ? 2 + rng.int(4) : 1;
    const stride = dilation > 1 ? 1 : 1 + rng.int(2);
    const k: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const eff = Math.max(...k.map((q) => (q - 1) * dilation + 1));
    out.push({
      n: 1 + rng.int(3),
      h: eff + rng.int(8),
      w: eff + rng.int(9),
      c: 1 + rng.int(9),
      oc: 1 + rng.int(12),
      k,
      stride,
      dilation,
      pad: rng.bernoulli() ? "same" : "valid",
    });
  }
  return out;
}

const label = (c: Case) => `n${c.n} ${c.h}x${c.w}x${c.c}→${c.oc} k${c.k} s${c.stride} d${c.dilation} ${c.pad}`;

Deno.test("Conv2D forward matches the cpu backend (strides, dilations 1–5, padding, odd sizes)", async () => {
  const rng = new Rng("conv-fwd");
  for (const c of cases(rng, 24)) {
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
  for (const [i, c] of cases(rng, 12).entries()) {
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
  for (const c of cases(rng, 18).filter((q) => q.dilation === 1)) {
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
