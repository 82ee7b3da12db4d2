import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { selectBackend } from "./backend.ts";

Deno.test("cpu is selected on request and layers models run on it (one tfjs-core instance), with no banner", async () => {
  const warned: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => warned.push(a.join(" "));
  const r = await selectBackend("cpu", { quiet: true });
  tf.dispose(tf.ones([2])); // the backend's first tensor: where tfjs prints its "install tfjs-node" banner
  console.warn = warn;
  assert.deepEqual(warned, []);
  assert.deepEqual(r, { backend: "cpu", reason: "tfjs plain JavaScript CPU kernels (faster conv filter gradient)" });
  assert.equal(tf.getBackend(), "cpu");
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], kernelInitializer: "ones" })] });
  const y = m.predict(tf.ones([1, 3])) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [3, 3]);
  // The layers package created its variables in the same engine the core import sees.
  const v = m.weights[0].read() as tf.Variable;
  assert.equal(tf.engine().registeredVariables[v.name], v);
  assert.equal(tf.engine().backendName, "cpu");
  tf.dispose(y);
});

Deno.test("auto names what it skipped and what it chose", async () => {
  const r = await selectBackend("auto", { quiet: true });
  assert.match(r.reason, /^auto: /);
  assert.match(r.reason, /tfjs-node-gpu not installed|tfjs-node-gpu is installed/);
  assert.equal(tf.getBackend(), r.backend);
  await selectBackend("cpu", { quiet: true });
});

Deno.test("wasm runs a matmul", async () => {
  const r = await selectBackend("wasm", { quiet: true });
  assert.equal(r.backend, "wasm");
  const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
  assert.deepEqual(Array.from(y.dataSync()), [11]);
  await selectBackend("cpu", { quiet: true });
});

Deno.test("unknown backend and missing tfjs-node are clear errors", async () => {
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => selectBackend("tpu" as any), /unknown backend "tpu"/);
  await assert.rejects(() => selectBackend("tensorflow", { quiet: true }), /add e\.g\. "@tensorflow\/tfjs-node-gpu"/);
});
