import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { ensureBackend, gpuAdapter, selectBackend } from "./select.ts";
import { registerTorchBackend, TORCH_BACKEND } from "./torch/mod.ts";
import { cpuIdentity, hasBf16 } from "../util/host.ts";

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

Deno.test("auto tries tfjs-node, torch on CUDA, torch on the CPU, a hardware WebGPU adapter, then cpu, and names each skip", async () => {
  const imports = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))).imports ?? {};
  const torch = await registerTorchBackend({ device: "cpu" });
  const cuda = (torch.info?.cuda_devices ?? 0) > 0;
  const adapter = await gpuAdapter();
  const expected = "@tensorflow/tfjs-node-gpu" in imports || "@tensorflow/tfjs-node" in imports
    ? "tensorflow"
    : cuda
    ? TORCH_BACKEND
    : torch.ok
    ? TORCH_BACKEND
    : adapter && !adapter.info.isFallbackAdapter
    ? "webgpu"
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
  if (expected !== "tensorflow" && !cuda) {
    assert.match(r.reason, /skipped: torch on CUDA: /);
  }
  if (expected === "cpu") {
    assert.match(r.reason, /skipped: torch did not load/);
    assert.match(r.reason, /skipped: (no WebGPU adapter|only a software WebGPU adapter)/);
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

Deno.test("unknown or retired backends and missing tfjs-node are clear errors", async () => {
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => selectBackend("tpu" as any), /unknown backend "tpu" \(have auto, /);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => selectBackend("fer-native" as any), /fer-native was retired: .*--backend torch/);
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
  // bf16 runs on a CPU with bf16 instructions; elsewhere fp32 (torch/precision_test.ts fakes both)
  assert.equal(r.label, `torch (cpu, ${hasBf16(cpuIdentity().flags) ? "bf16" : "fp32"})`);
  assert.equal(tf.getBackend(), "torch");
  const back = await selectBackend("torch", { quiet: true, device: "cpu" });
  assert.equal(back.label, "torch (cpu, fp32)");
  await assert.rejects(() => selectBackend("cpu", { quiet: true, precision: "bf16" }), /torch backend only/);
  await assert.rejects(() => selectBackend("torch", { quiet: true, precision: "fp16" }), /unknown precision "fp16"/);
  await assert.rejects(() => selectBackend("auto", { quiet: true, device: "cuda:3" }), /torch sees 0 CUDA device/);
  await selectBackend("cpu", { quiet: true });
});
