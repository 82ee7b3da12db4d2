import assert from "node:assert/strict";
import { envThreads, recordedRuntime, runtimeOf } from "./runtime.ts";
import { parseRuntime } from "./runtime_flags.ts";

/** Runs `fn` with FER_THREADS set to `value` (unset: undefined), then puts the suite's own value back. */
function withThreadsEnv(value: string | undefined, fn: () => void) {
  const was = Deno.env.get("FER_THREADS");
  try {
    if (value === undefined) Deno.env.delete("FER_THREADS");
    else Deno.env.set("FER_THREADS", value);
    fn();
  } finally {
    if (was === undefined) Deno.env.delete("FER_THREADS");
    else Deno.env.set("FER_THREADS", was);
  }
}

Deno.test("a runtime: defaults filled in one place, the request winning over a fallback, device and precision for torch only", () => {
  withThreadsEnv(undefined, () => {
    assert.deepEqual(runtimeOf(parseRuntime({})), { backend: "auto", device: "auto", precision: "fp32" });
  });
  assert.deepEqual(runtimeOf(parseRuntime({ backend: "torch", device: "cuda:1", precision: "bf16", threads: "3" })), {
    backend: "torch",
    device: "cuda:1",
    precision: "bf16",
    threads: 3,
  });
  assert.deepEqual(runtimeOf({ device: "cpu" }, { backend: "auto", precision: "bf16", threads: 2 }), {
    backend: "auto",
    device: "cpu",
    precision: "bf16",
    threads: 2,
  }, "the request wins field by field over the fallback");
  assert.throws(() => runtimeOf({ backend: "cpu", precision: "bf16" }), /torch backend only \(backend "cpu"\)/);
  assert.throws(() => runtimeOf({ device: "cuda" }, { backend: "wasm" }), /torch backend only/);
});

Deno.test("precision auto is a request the runtime keeps as such (torch resolves it), and fp32 on any other backend", () => {
  assert.equal(runtimeOf(parseRuntime({ backend: "torch", precision: "auto" })).precision, "auto");
  assert.equal(runtimeOf({ precision: "bf16" }, { precision: "auto" }).precision, "bf16", "a flag wins over a profile");
  assert.equal(runtimeOf({}, { backend: "auto", precision: "auto" }).precision, "auto", "the CPU profile's default");
  assert.deepEqual(runtimeOf({ precision: "auto" }, { backend: "cpu" }), {
    backend: "cpu",
    device: "auto",
    precision: "auto",
  });
});

Deno.test("FER_THREADS is read once, and a bad value is an error naming it", () => {
  withThreadsEnv("2", () => {
    assert.equal(parseRuntime({}).threads, 2);
    assert.equal(parseRuntime({ threads: 4 }).threads, 4, "a flag wins over the environment");
  });
  withThreadsEnv("two", () => assert.throws(() => envThreads(), /FER_THREADS must be a positive integer, got "two"/));
  withThreadsEnv("", () => assert.equal(envThreads(), undefined, "set but empty: not set"));
});

Deno.test("a record's runtime: its fields, or an older record's backend label", () => {
  const now = { backend: "torch", device: "cuda:0", precision: "tf32" as const, threads: 4 };
  assert.deepEqual(recordedRuntime({ backend: "anything", runtime: now }), now);
  assert.deepEqual(recordedRuntime({ backend: "torch (cpu, bf16)", machine: { threads: "1" } }), {
    backend: "torch",
    device: "cpu",
    precision: "bf16",
    threads: 1,
  });
  assert.deepEqual(recordedRuntime({ backend: "fer-native" }), {
    backend: "fer-native",
    device: null,
    precision: null,
    threads: null,
  });
});
