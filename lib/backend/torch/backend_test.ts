import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  fallbackNotices,
  findTorch,
  noCudaNote,
  registerTorchBackend,
  resolveDevice,
  setTorchPrecision,
  TORCH_BACKEND,
  TorchBackend,
  torchKernels,
  torchThreads,
} from "./mod.ts";
import { requireTorch } from "./testing.ts";

// Which libtorch this process runs on, in the test's name (tests/torch2_test.ts runs these tests on torch 2.x too).
const found = await findTorch();
const on = found ? `on libtorch ${found.version} from ${found.source}` : "(no libtorch found)";

Deno.test("registerTorchBackend registers every cpu kernel on torch, the hot ones on libtorch, and is idempotent", async () => {
  await requireTorch();
  const r = await registerTorchBackend();
  assert.equal(r.ok, true, r.reason);
  assert.deepEqual(await registerTorchBackend(), r);
  assert.match(r.reason, /libtorch .* from .*; (cpu|cuda:\d+), fp32, \d+ threads/);
  const own = new Set(torchKernels().map((k) => k.kernelName));
  const hot = ["Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPool", "MaxPoolGrad"];
  const more = [
    "AvgPool",
    "_FusedMatMul",
    "BatchMatMul",
    "FusedBatchNorm",
    "Relu",
    "Sigmoid",
    "Softmax",
    "Sum",
    "Mean",
  ];
  for (const k of [...hot, ...more, "Concat", "Slice", "PadV2", "Cast", "OneHot", "ArgMax", "Select", "Equal"]) {
    assert.ok(own.has(k), k);
  }
  const onTorch = new Set(tf.getKernelsForBackend(TORCH_BACKEND).map((k) => k.kernelName));
  assert.deepEqual(tf.getKernelsForBackend("cpu").map((k) => k.kernelName).filter((k) => !onTorch.has(k)), []);
});

Deno.test("torch tensors: upload, read (sync and async), dtypes, strings, disposal frees libtorch memory", async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  const before = tf.memory() as tf.MemoryInfo & { numTorchTensors: number; numBytesInTorch: number };
  const f = tf.tensor([[1.5, -2], [3, 4]]), i = tf.tensor([7, -8], undefined, "int32"), b = tf.tensor([true, false]);
  const s = tf.tensor(["a", "bc"]);
  assert.deepEqual(Array.from(f.dataSync()), [1.5, -2, 3, 4]);
  assert.deepEqual(Array.from(await i.data()), [7, -8]);
  assert.ok(i.dataSync() instanceof Int32Array);
  assert.deepEqual(Array.from(b.dataSync()), [1, 0]);
  assert.deepEqual(s.dataSync(), ["a", "bc"]);
  const r = tf.reshape(f, [4]);
  assert.deepEqual(await r.array(), [1.5, -2, 3, 4]);
  const mid = tf.memory() as typeof before;
  assert.equal(mid.numTorchTensors - before.numTorchTensors, 4); // the string stays on the host
  assert.equal(mid.numBytesInTorch - before.numBytesInTorch, 16 + 8 + 2); // the reshape is a view of f
  tf.dispose([f, i, b, s, r]);
  const after = tf.memory() as typeof before;
  assert.equal(after.numTorchTensors, before.numTorchTensors);
  assert.equal(after.numBytesInTorch, before.numBytesInTorch);
  assert.equal(after.numTensors, before.numTensors);
});

Deno.test("a kernel libtorch does not cover runs on tfjs's cpu kernel with a one-time notice naming it", async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  const x = tf.tensor([1, 2, 3, 4]);
  const y = tf.cumsum(x);
  assert.deepEqual(Array.from(y.dataSync()), [1, 3, 6, 10]);
  assert.equal(fallbackNotices().get("Cumsum"), "no libtorch kernel");
  // A case a torch kernel declines (a rounding mode ATen has no equivalent for) is named with its reason.
  const pool = () => tf.maxPool(tf.reshape(tf.range(0, 25), [1, 5, 5, 1]) as tf.Tensor4D, 2, 2, 1, "ceil");
  const z = pool();
  assert.match(fallbackNotices().get("MaxPool") ?? "", /dimRoundingMode ceil/);
  const got = await z.array();
  tf.dispose([x, y, z]);
  await tf.setBackend("cpu");
  assert.deepEqual(got, await tf.tidy(pool).array());
});

Deno.test("a libtorch error surfaces as a JS error naming the op", async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  const backend = tf.backend() as unknown as { run1(op: string, ins: tf.TensorInfo[], args: number[]): tf.TensorInfo };
  const a = tf.ones([2, 3]), b = tf.ones([4, 5]);
  assert.throws(() => backend.run1("matmul", [a, b], [0, 0, 0, 0]), /torch op: matmul: .*/);
  tf.dispose([a, b]);
});

Deno.test("resolveDevice: auto picks CUDA when torch sees one, cuda:N must exist", () => {
  assert.equal(resolveDevice("auto", 0), -1);
  assert.equal(resolveDevice("auto", 2), 0);
  assert.equal(resolveDevice("cpu", 2), -1);
  assert.equal(resolveDevice("cuda:1", 2), 1);
  assert.throws(() => resolveDevice("cuda", 0), /torch sees 0 CUDA device/);
  assert.throws(() => resolveDevice("gpu", 1), /unknown device "gpu"/);
});

Deno.test("--device auto on a CUDA build of torch that sees no GPU says so: no CUDA device, runs on the CPU", async () => {
  assert.match(noCudaNote("auto", true, 0), /^no CUDA device \(a CUDA build, but torch sees no GPU or driver/);
  assert.equal(noCudaNote("auto", false, 0), ""); // a CPU build: "CPU build; cpu" says it already
  assert.equal(noCudaNote("auto", true, 1), "");
  assert.equal(noCudaNote("cpu", true, 0), "");
  await requireTorch();
  const r = await registerTorchBackend();
  assert.equal(/no CUDA device/.test(r.reason), found?.cuda === true && r.info?.cuda_devices === 0, r.reason);
});

Deno.test("a later registerTorchBackend switches the intra-op threads, and torchThreads and the reason say so", async () => {
  await requireTorch();
  assert.equal(torchThreads(), 1);
  const two = await registerTorchBackend({ threads: 2 });
  assert.match(two.reason, /, fp32, 2 threads$/);
  assert.equal(torchThreads(), 2);
  const one = await registerTorchBackend({ threads: 1 }); // back to what the suite runs with (testing.ts)
  assert.match(one.reason, /, fp32, 1 threads$/);
  assert.equal(torchThreads(), 1);
});

Deno.test(`the shim's info ${on} reads back what init set: its version, TF32 on and off, the threads`, async () => {
  await requireTorch();
  await tf.setBackend(TORCH_BACKEND);
  const info = () => (tf.backend() as TorchBackend).lib.info(); // parsed JSON: a NUL byte or bad number throws here
  const r = await registerTorchBackend();
  assert.equal(r.reason.match(/^libtorch (\d+\.\d+\.\d+)/)?.[1], info().torch);
  assert.equal(typeof info().cuda_devices, "number");
  setTorchPrecision("tf32"); // torch ≥ 2.9 keeps these legacy flags beside its new precision API
  assert.equal(info().tf32, true);
  setTorchPrecision("fp32");
  assert.deepEqual([info().tf32, info().bf16, info().threads], [false, false, 1]);
});

Deno.test(`matmuls run on the calling thread: an OpenBLAS that libtorch loaded keeps one thread ${on}`, async () => {
  await requireTorch();
  const maps = Deno.build.os === "linux" ? await Deno.readTextFile("/proc/self/maps") : "";
  const path = /\S*libopenblas\S*\.so\S*/.exec(maps)?.[0];
  if (!path) {
    console.log("libtorch's BLAS here is not OpenBLAS (or not on Linux): nothing to set");
    return;
  }
  const blas = Deno.dlopen(path, { openblas_get_num_threads: { parameters: [], result: "i32" } });
  try {
    // at least 2 threads where it runs (registerTorchBackend's default is the machine's cores), BLAS still 1
    await registerTorchBackend({ threads: 2 });
    assert.equal(blas.symbols.openblas_get_num_threads(), 1, `${path}: threads`);
  } finally {
    blas.close();
    await registerTorchBackend({ threads: 1 });
  }
});
