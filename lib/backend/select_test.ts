import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { registerNativeBackend } from "./native.ts";
import { CPU_ORDER, ensureBackend, gpuAdapter, selectBackend } from "./select.ts";
import { registerTorchBackend, TORCH_BACKEND } from "./torch/mod.ts";

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

Deno.test("auto tries tfjs-node, torch on CUDA, the CPU backends in CPU_ORDER, a hardware WebGPU adapter, then cpu, and names each skip", async () => {
  const imports = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))).imports ?? {};
  const torch = await registerTorchBackend({ device: "cpu" });
  const cuda = (torch.info?.cuda_devices ?? 0) > 0;
  const cpuOk: Record<string, boolean> = { "fer-native": (await registerNativeBackend()).ok, torch: torch.ok };
  const adapter = await gpuAdapter();
  const expected = "@tensorflow/tfjs-node-gpu" in imports || "@tensorflow/tfjs-node" in imports
    ? "tensorflow"
    : cuda
    ? TORCH_BACKEND
    : CPU_ORDER.find((b) => cpuOk[b]) ??
      (adapter && !adapter.info.isFallbackAdapter ? "webgpu" : "cpu");
  const r = await selectBackend("auto", { quiet: true });
  assert.equal(r.backend, expected);
  assert.equal(tf.getBackend(), expected);
  if (expected !== "tensorflow") {
    assert.match(
      r.reason,
      /^auto: skipped: no TensorFlow native backend: @tensorflow\/tfjs-node-gpu not installed; @tensorflow\/tfjs-node not installed; /,
    );
  }
  if (expected !== "tensorflow" && !cuda) {
    assert.match(r.reason, /skipped: torch on CUDA: /);
    // Every CPU backend tried before the chosen one (all of them when none loaded) names its skip.
    const chosen = CPU_ORDER.findIndex((b) => b === expected);
    for (const b of CPU_ORDER.slice(0, chosen < 0 ? CPU_ORDER.length : chosen)) {
      assert.match(r.reason, new RegExp(`skipped: ${b}`), `${b} comes first in CPU_ORDER: its skip is named`);
    }
  }
  if (expected === "cpu") {
    assert.match(r.reason, /skipped: (no WebGPU adapter|only a software WebGPU adapter)/);
    assert.match(r.reason, /skipped: fer-native (is not available|did not load)/);
  }
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

Deno.test("torch is selected on request, with --device and --precision; they are refused for other backends", async () => {
  const r = await selectBackend("torch", { quiet: true, device: "cpu", precision: "bf16" });
  assert.equal(r.backend, "torch");
  assert.equal(r.label, "torch (cpu, bf16)");
  assert.equal(tf.getBackend(), "torch");
  const back = await selectBackend("torch", { quiet: true, device: "cpu" });
  assert.equal(back.label, "torch (cpu, fp32)");
  await assert.rejects(() => selectBackend("cpu", { quiet: true, precision: "bf16" }), /torch backend only/);
  await assert.rejects(() => selectBackend("torch", { quiet: true, precision: "fp16" }), /unknown precision "fp16"/);
  await assert.rejects(() => selectBackend("auto", { quiet: true, device: "cuda:3" }), /torch sees 0 CUDA device/);
  await selectBackend("cpu", { quiet: true });
});
