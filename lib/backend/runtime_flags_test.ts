import assert from "node:assert/strict";
import { parseRuntime } from "./runtime_flags.ts";

Deno.test("each runtime flag is checked where it enters, and a bad one is an error naming it", () => {
  assert.deepEqual(parseRuntime({ backend: "torch", device: "cuda:1", precision: "auto", threads: "3" }), {
    backend: "torch",
    device: "cuda:1",
    precision: "auto",
    threads: 3,
  });
  assert.throws(() => parseRuntime({ backend: "tpu" }), /unknown backend "tpu" \(have auto, /);
  assert.throws(() => parseRuntime({ backend: "fer-native" }), /fer-native was retired/);
  assert.throws(() => parseRuntime({ device: "gpu" }), /unknown device "gpu"/);
  assert.throws(() => parseRuntime({ precision: "fp16" }), /unknown precision "fp16" \(have fp32, tf32, bf16, auto\)/);
  assert.throws(() => parseRuntime({ threads: "0" }), /--threads must be a positive integer, got "0"/);
});
