import assert from "node:assert/strict";
import { ferProcess } from "./testing.ts";
import { cpuIdentity, hasBf16, TEST_CPU_FLAGS_ENV } from "../util/host.ts";

// one thread: see lib/backend/torch/testing.ts (requireTorch)
const fer = (...args: string[]) => ferProcess(args, { FER_THREADS: "1" });
/** `fer` on a CPU whose flags are faked (the test hook of lib/util/host.ts). */
const ferOn = (flags: string, ...args: string[]) => ferProcess(args, { FER_THREADS: "1", [TEST_CPU_FLAGS_ENV]: flags });

Deno.test("fer train --backend torch: run record, checkpoint, saved model, resume to more epochs, evaluate", async () => {
  const runs = await Deno.makeTempDir();
  const common = ["--dataset", "synthetic", "--n", "60", "--backend", "torch", "--device", "cpu"];
  // --precision auto on a CPU with bf16 instructions (faked, so every machine takes the bf16 path) trains in bf16
  const t = await ferOn(
    "fpu avx2 avx512_bf16",
    "train",
    "--preset",
    "cpu-tiny",
    "--size",
    "16",
    "--epochs",
    "1",
    "--batch",
    "16",
    ...common,
    "--precision",
    "auto",
    "--runs",
    runs,
    "--json",
  );
  assert.equal(t.code, 0, t.err);
  assert.match(t.err, /backend: torch \(libtorch .*; cpu, bf16, 1 threads\)/);
  const first = JSON.parse(t.out.trim().split("\n").at(-1)!);
  const run = JSON.parse(await Deno.readTextFile(`${first.run}/run.json`));
  assert.equal(run.backend, "torch (cpu, bf16)");
  const { ompWait, ...runtime } = run.runtime;
  assert.deepEqual(runtime, { backend: "torch", device: "cpu", precision: "bf16", threads: 1, cpuCacheMb: 1024 });
  assert.ok(["spin", "passive"].includes(ompWait), `ompWait ${ompWait}: the backend's own choice, nobody set one`);
  await Deno.stat(`${first.run}/checkpoint/ckpt.bin`);
  await Deno.stat(`${first.run}/model/model.json`);

  const r = await ferOn(
    "avx512_bf16",
    "train",
    "--resume",
    first.run,
    "--epochs",
    "2",
    "--backend",
    "torch",
    "--precision",
    "bf16",
    "--json",
  );
  assert.equal(r.code, 0, r.err);
  const resumed = JSON.parse(r.out.trim().split("\n").at(-1)!);
  assert.equal(resumed.run, first.run);
  assert.equal(resumed.epochs, 2);
  const csv = (await Deno.readTextFile(`${first.run}/metrics.csv`)).trim().split("\n");
  assert.equal(csv.length, 3, "header + 2 epochs");

  const e = await fer("evaluate", "--model", `${first.run}/model`, ...common, "--split", "all", "--json");
  assert.equal(e.code, 0, e.err);
  const rep = JSON.parse(e.out.trim().split("\n").at(-1)!);
  assert.equal(rep.confusion.flat().reduce((a: number, b: number) => a + b, 0), 60);
  await Deno.remove(runs, { recursive: true });
});

Deno.test("fer demo gives torch one core less than the machine has unless FER_THREADS says otherwise, runs bf16 where the CPU has it (auto), and its record says so", async () => {
  const outputs = await Deno.makeTempDir();
  try {
    const want = Math.max(1, navigator.hardwareConcurrency - 1);
    const precision = hasBf16(cpuIdentity().flags) ? "bf16" : "fp32";
    const d = await ferProcess(["demo", "--fast", "--epochs", "1", "--backend", "torch", "--json"], {
      FER_THREADS: "", // unset for the demo's own choice
      FER_OUTPUTS: outputs,
    });
    assert.equal(d.code, 0, d.err);
    assert.match(d.err, new RegExp(`backend: torch \\(libtorch .*; cpu, ${precision}, ${want} threads\\)`));
    const { runDir } = JSON.parse(d.out.trim().split("\n").at(-1)!);
    const run = JSON.parse(await Deno.readTextFile(`${runDir}/run.json`));
    assert.equal(run.machine.threads, String(want));
    assert.equal(run.runtime.threads, want);
    assert.equal(run.runtime.precision, precision);
  } finally {
    await Deno.remove(outputs, { recursive: true });
  }
});

Deno.test("fer train --precision bf16 on a CPU without bf16 instructions warns once, runs fp32, and records fp32", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const t = await ferOn(
      "fpu sse2 avx avx2 fma avx512f", // an AVX-512 CPU without avx512_bf16 or amx_bf16
      ...["train", "--preset", "cpu-tiny", "--input-size", "16", "--epochs", "1", "--batch", "16"],
      ...["--dataset", "synthetic", "--n", "40", "--backend", "torch", "--device", "cpu", "--precision", "bf16"],
      ...["--runs", runs, "--json"],
    );
    assert.equal(t.code, 0, t.err);
    const warnings = t.err.match(/^warning: precision bf16: .*$/gm) ?? [];
    assert.equal(warnings.length, 1, t.err);
    assert.ok(warnings[0].includes(`the CPU (${cpuIdentity().cpu}) has no bf16 instructions`), warnings[0]);
    assert.match(warnings[0], /emulate bf16, about 18x slower than fp32: running fp32/);
    assert.match(t.err, /backend: torch \(libtorch .*; cpu, fp32, 1 threads\)/);
    const { run: dir } = JSON.parse(t.out.trim().split("\n").at(-1)!);
    const run = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
    assert.equal(run.backend, "torch (cpu, fp32)");
    const { ompWait, ...runtime } = run.runtime;
    assert.deepEqual(runtime, { backend: "torch", device: "cpu", precision: "fp32", threads: 1, cpuCacheMb: 1024 });
    assert.ok(["spin", "passive"].includes(ompWait), `ompWait ${ompWait}: the backend's own choice, nobody set one`);
    assert.deepEqual(run.stretches.map((s: { precision: string; bf16: boolean }) => [s.precision, s.bf16]), [
      ["fp32", false],
    ]);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});
