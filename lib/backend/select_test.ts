import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { NATIVE_BACKEND, registerNativeBackend } from "./native.ts";
import { ensureBackend, gpuAdapter, selectBackend } from "./select.ts";

Deno.test("cpu is selected on request and layers models run on it (one tfjs-core instance)", async () => {
  const r = await selectBackend("cpu", { quiet: true });
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

Deno.test("auto tries tfjs-node, then a hardware WebGPU adapter, then fer-native, then cpu, and names each skip", async () => {
  const imports = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))).imports ?? {};
  const adapter = await gpuAdapter();
  const native = await registerNativeBackend();
  const expected = "@tensorflow/tfjs-node-gpu" in imports || "@tensorflow/tfjs-node" in imports
    ? "tensorflow"
    : adapter && !adapter.info.isFallbackAdapter
    ? "webgpu"
    : native.ok
    ? NATIVE_BACKEND
    : "cpu";
  const r = await selectBackend("auto", { quiet: true });
  assert.equal(r.backend, expected);
  assert.equal(tf.getBackend(), expected);
  if (expected !== "tensorflow") {
    assert.match(
      r.reason,
      /^auto: skipped: no TensorFlow native backend: @tensorflow\/tfjs-node-gpu not installed; @tensorflow\/tfjs-node not installed; /,
    );
  }
  if (expected === NATIVE_BACKEND || expected === "cpu") {
    assert.match(r.reason, /skipped: (no WebGPU adapter|only a software WebGPU adapter)/);
  }
  if (expected === "cpu") assert.match(r.reason, /skipped: fer-native (is not available|did not load)/);
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

Deno.test("ensureBackend keeps the active backend unless one is preferred", async () => {
  await selectBackend("cpu", { quiet: true });
  assert.equal(await ensureBackend(), "cpu");
  assert.equal(await ensureBackend("wasm"), "wasm");
  assert.equal(await ensureBackend(), "wasm");
  await assert.rejects(() => ensureBackend("tpu"), /"tpu" could not be initialised/);
  await selectBackend("cpu", { quiet: true });
});
