import assert from "node:assert/strict";
import { ferProcess } from "./testing.ts";

// one thread: see lib/backend/torch/testing.ts (requireTorch)
const fer = (...args: string[]) => ferProcess(args, { FER_THREADS: "1" });

Deno.test("fer train --backend torch: run record, checkpoint, saved model, resume to more epochs, evaluate", async () => {
  const runs = await Deno.makeTempDir();
  const common = ["--dataset", "synthetic", "--n", "60", "--backend", "torch", "--device", "cpu"];
  const t = await fer(
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
    "bf16",
    "--runs",
    runs,
    "--json",
  );
  assert.equal(t.code, 0, t.err);
  assert.match(t.err, /backend: torch \(libtorch .*; cpu, bf16, 1 threads\)/);
  const first = JSON.parse(t.out.trim().split("\n").at(-1)!);
  const run = JSON.parse(await Deno.readTextFile(`${first.run}/run.json`));
  assert.equal(run.backend, "torch (cpu, bf16)");
  assert.deepEqual(run.runtime, { backend: "torch", device: "cpu", precision: "bf16", threads: 1 });
  await Deno.stat(`${first.run}/checkpoint/ckpt.bin`);
  await Deno.stat(`${first.run}/model/model.json`);

  const r = await fer(
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

Deno.test("fer demo gives torch one core less than the machine has unless FER_THREADS says otherwise, and its record says so", async () => {
  const outputs = await Deno.makeTempDir();
  try {
    const want = Math.max(1, navigator.hardwareConcurrency - 1);
    const d = await ferProcess(["demo", "--fast", "--epochs", "1", "--backend", "torch", "--json"], {
      FER_THREADS: "", // unset for the demo's own choice
      FER_OUTPUTS: outputs,
    });
    assert.equal(d.code, 0, d.err);
    assert.match(d.err, new RegExp(`backend: torch \\(libtorch .*; cpu, fp32, ${want} threads\\)`));
    const { runDir } = JSON.parse(d.out.trim().split("\n").at(-1)!);
    const run = JSON.parse(await Deno.readTextFile(`${runDir}/run.json`));
    assert.equal(run.machine.threads, String(want));
    assert.equal(run.runtime.threads, want);
  } finally {
    await Deno.remove(outputs, { recursive: true });
  }
});
