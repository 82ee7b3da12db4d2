import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../../util/rng.ts";
import { TOL } from "../../testing.ts";
import { compareTorch } from "../testing.ts";

const gradOf = (f: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => tf.grad((x: tf.Tensor) => tf.sum(f(x)))(x);

Deno.test("torch binary ops with broadcasting match cpu, forward and gradients", async () => {
  const rng = new Rng("torch-binary");
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ["add", tf.add],
    ["sub", tf.sub],
    ["mul", tf.mul],
    ["div", (a, b) => tf.div(a, tf.add(tf.abs(b), 0.5))],
    ["maximum", tf.maximum],
    ["minimum", tf.minimum],
    ["squaredDifference", tf.squaredDifference],
    ["pow", (a, b) => tf.pow(tf.add(tf.abs(a), 0.1), b)],
    ["floorDiv", (a, b) => tf.floorDiv(tf.mul(a, 5), tf.add(tf.abs(b), 0.5))],
    ["mod", (a, b) => tf.mod(tf.mul(a, 5), tf.add(tf.abs(b), 0.5))],
    ["atan2", tf.atan2],
    ["prelu", (a, b) => tf.prelu(a, b)],
  ];
  const shapes = [[[2, 3, 4], [2, 3, 4]], [[2, 3, 4], [4]], [[3, 1], [1, 5]], [[2, 1, 4], [3, 1]], [[5], []]];
  for (const [name, op] of ops) {
    for (const [sa, sb] of shapes) {
      if (name === "prelu" && sb.length > sa.length) continue;
      const d = await compareTorch([sa, sb], ([a, b]) => {
        const out = [op(a, b)];
        // tfjs has no gradient for floorDiv/mod, and none for these five with a broadcast.
        const broadcast = sa.join() !== sb.join();
        if (
          !["floorDiv", "mod"].includes(name) &&
          !(broadcast && ["maximum", "minimum", "prelu", "squaredDifference", "atan2"].includes(name))
        ) out.push(...tf.grads((a, b) => tf.sum(tf.square(op(a, b))))([a, b]));
        return out;
      }, rng);
      assert.ok(d.maxRel <= TOL, `${name} [${sa}] [${sb}]: ${d.where}`);
    }
  }
});

Deno.test("torch comparisons, logical ops, where, cast and int32 arithmetic match cpu", async () => {
  const rng = new Rng("torch-logic");
  const d = await compareTorch([[3, 4], [4], [3, 4]], ([a, b, c]) => {
    const ai = tf.cast(tf.mul(a, 4), "int32"), bi = tf.cast(tf.mul(b, 4), "int32");
    const gt = tf.greater(a, b), le = tf.lessEqual(a, c);
    return [
      ...[tf.equal(ai, bi), tf.notEqual(ai, bi), gt, tf.greaterEqual(a, b), tf.less(a, b), le],
      ...[tf.logicalAnd(gt, le), tf.logicalOr(gt, le), tf.logicalNot(gt), tf.where(gt, a, c)],
      ...[
        tf.add(ai, bi),
        tf.mul(ai, bi),
        tf.sub(ai, bi),
        tf.floorDiv(ai, tf.add(tf.abs(bi), 1)),
        tf.abs(ai),
        tf.neg(ai),
      ],
      ...[tf.cast(gt, "float32"), tf.cast(a, "bool"), tf.cast(ai, "float32"), tf.maximum(ai, bi), tf.square(ai)],
      ...[tf.clipByValue(ai, -1, 2), tf.sum(ai), tf.sum(gt), tf.isNaN(tf.div(a, tf.sub(a, a)))],
      ...[tf.oneHot(tf.cast(tf.mul(tf.abs(b), 3), "int32"), 5), tf.zerosLike(ai), tf.onesLike(gt)],
    ];
  }, rng);
  assert.ok(d.maxRel <= TOL, d.where);
});

Deno.test("torch unary math and activations match cpu, forward and gradients", async () => {
  const rng = new Rng("torch-unary");
  const pos = (x: tf.Tensor) => tf.add(tf.abs(x), 0.2);
  const unit = (x: tf.Tensor) => tf.mul(tf.tanh(x), 0.9);
  const fs: [string, (x: tf.Tensor) => tf.Tensor][] = [
    ["abs", tf.abs],
    ["neg", tf.neg],
    ["square", tf.square],
    ["relu", tf.relu],
    ["relu6", (x) => tf.relu6(tf.mul(x, 4))],
    ["sign", tf.sign],
    ["exp", tf.exp],
    ["expm1", tf.expm1],
    ["log", (x) => tf.log(pos(x))],
    ["log1p", (x) => tf.log1p(pos(x))],
    ["sqrt", (x) => tf.sqrt(pos(x))],
    ["rsqrt", (x) => tf.rsqrt(pos(x))],
    ["reciprocal", (x) => tf.reciprocal(pos(x))],
    ["elu", tf.elu],
    ["selu", tf.selu],
    ["sigmoid", tf.sigmoid],
    ["tanh", tf.tanh],
    ["softplus", tf.softplus],
    ["sin", tf.sin],
    ["cos", tf.cos],
    ["tan", (x) => tf.tan(unit(x))],
    ["asin", (x) => tf.asin(unit(x))],
    ["acos", (x) => tf.acos(unit(x))],
    ["atan", tf.atan],
    ["sinh", tf.sinh],
    ["cosh", tf.cosh],
    ["asinh", tf.asinh],
    ["acosh", (x) => tf.acosh(tf.add(pos(x), 1))],
    ["atanh", (x) => tf.atanh(unit(x))],
    ["erf", tf.erf],
    ["floor", (x) => tf.floor(tf.mul(x, 3))],
    ["ceil", (x) => tf.ceil(tf.mul(x, 3))],
    ["round", (x) => tf.round(tf.mul(x, 3))],
    ["step", (x) => tf.step(x, 0.3)],
    ["leakyRelu", (x) => tf.leakyRelu(x, 0.1)],
    ["clipByValue", (x) => tf.clipByValue(x, -0.5, 0.7)],
    ["softmax", (x) => tf.softmax(x)],
    ["logSoftmax", (x) => tf.logSoftmax(x)],
  ];
  for (const [name, f] of fs) {
    const d = await compareTorch([[3, 7]], ([x]) => [f(x), gradOf((x) => tf.square(f(x)))(x)], rng);
    assert.ok(d.maxRel <= TOL, `${name}: ${d.where}`);
  }
});

Deno.test("torch addN, the loss and accuracy ops of the training loop match cpu with gradients", async () => {
  const rng = new Rng("torch-loss");
  const d = await compareTorch([[6, 7], [6, 7], [7]], ([logits, other, cw]) => {
    const labels = tf.oneHot(tf.argMax(other, 1), 7);
    const loss = (logits: tf.Tensor) => {
      const pred = tf.softmax(logits);
      const ce = tf.neg(tf.sum(tf.mul(labels, tf.log(tf.clipByValue(pred, 1e-7, 1 - 1e-7))), 1));
      return tf.div(tf.sum(tf.mul(ce, tf.sum(tf.mul(labels, cw), 1))), 6) as tf.Scalar;
    };
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(labels, 1)), "float32"));
    return [loss(logits), tf.grad(loss)(logits), correct, tf.addN([logits, other, logits])];
  }, rng);
  assert.ok(d.maxRel <= TOL, d.where);
});
