import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { loadDataset } from "../data/load.ts";
import { type DatasetSpec, parseSpec } from "../experiment/spec.ts";
import type { RunRecord } from "../experiment/record.ts";
import { runExperiment } from "../experiment/run.ts";
import { checkRecord, checkText } from "./check.ts";
import { TRAINER, type Trainer } from "./execute.ts";
import type { Runtime } from "../backend/runtime.ts";

await tf.setBackend("cpu");
const CPU: Trainer = { runExperiment: TRAINER.runExperiment, selectRuntime: () => Promise.resolve({ backend: "cpu" }) };

Deno.test("check: one fold trained again matches its record; a changed accuracy or other data do not", async () => {
  const tmp = await Deno.makeTempDir();
  const spec: DatasetSpec = { dataset: "synthetic", n: 48, size: 16, seed: 3, subjects: 8 };
  const { dir } = await runExperiment({
    ...parseSpec({
      dataset: spec,
      model: { preset: "cpu-tiny", inputSize: 16, featureExtraction: false },
      train: { preset: "default", epochs: 1, batchSize: 16 },
      protocol: { kind: "kfold", k: 2, by: "subject", seed: 1 },
    }, "check_test"),
    dataset: await loadDataset(spec),
    datasetSpec: spec,
    backend: "cpu",
    runsDir: tmp,
  });
  const file = join(dir, "run.json");
  const rec: RunRecord = JSON.parse(await Deno.readTextFile(file));
  assert.match(rec.dataset.contentHash ?? "", /^[0-9a-f]{16}$/, "the engine records the data's content hash");
  assert.deepEqual(rec.runtime, {
    backend: "cpu",
    device: null,
    precision: null,
    threads: null,
    ompWait: null,
    cpuCacheMb: null,
  });

  const c = await checkRecord(file, { fold: 2, runsDir: tmp }, CPU);
  assert.equal(c.recorded, rec.folds![1].accuracy);
  assert.equal(c.measured, c.recorded, "same config, seed, data and backend: the same accuracy");
  assert.equal(c.difference, 0);
  assert.ok(c.ok);
  assert.equal(c.data, `content hash ${rec.dataset.contentHash}`);
  const n = rec.folds![1].confusion.flat().reduce((a, b) => a + b, 0), p = c.recorded;
  assert.equal(c.tolerance, Math.round(2 * Math.sqrt(p * (1 - p) / n) * 1000) / 10);
  const check: RunRecord = JSON.parse(await Deno.readTextFile(join(c.runDir, "run.json")));
  assert.deepEqual(check.protocol, { ...rec.protocol, only: [2] });
  assert.deepEqual(check.experiment, { table: "check", row: rec.id }, "never a row of a table");

  const edited = join(tmp, "edited.json");
  const moved = p >= 0.5 ? p - 0.5 : p + 0.5;
  await Deno.writeTextFile(
    edited,
    JSON.stringify({ ...rec, folds: rec.folds!.map((f, i) => i === 1 ? { ...f, accuracy: moved } : f) }),
  );
  const off = await checkRecord(edited, { fold: 2, runsDir: tmp }, CPU);
  assert.equal(off.ok, false);
  assert.match(checkText(off), /fold 2: recorded .*: [+-]50\.00 points, OUTSIDE ±/);

  await Deno.writeTextFile(
    edited,
    JSON.stringify({ ...rec, dataset: { ...rec.dataset, contentHash: "0123456789abcdef" } }),
  );
  await assert.rejects(() => checkRecord(edited, { runsDir: tmp }, CPU), /the data differ from the record's/);
  await assert.rejects(() => checkRecord(file, { fold: 3, runsDir: tmp }, CPU), /has no fold 3 \(it has 1, 2\)/);
  await assert.rejects(() => checkRecord(join(tmp, "none.json"), {}, CPU), /none\.json: no such record/);
  // the check trains at the precision the record ran at, read from its runtime (or an older record's label)
  const asked: Runtime[] = [];
  const spy: Trainer = { ...CPU, selectRuntime: (rt) => (asked.push(rt), CPU.selectRuntime(rt)) };
  const ran = (runtime: unknown, backend = rec.backend) => JSON.stringify({ ...rec, runtime, backend });
  await Deno.writeTextFile(edited, ran({ backend: "torch", device: "cuda:0", precision: "tf32", threads: 4 }));
  await checkRecord(edited, { fold: 1, runsDir: tmp }, spy);
  await Deno.writeTextFile(edited, ran(undefined, "torch (cpu, bf16)"));
  await checkRecord(edited, { fold: 1, runsDir: tmp, runtime: { device: "cpu" } }, spy);
  await checkRecord(edited, { fold: 1, runsDir: tmp, runtime: { precision: "fp32" } }, spy);
  assert.deepEqual(asked.map((r) => [r.backend, r.device, r.precision]), [
    ["auto", "auto", "tf32"],
    ["auto", "cpu", "bf16"],
    ["auto", "auto", "fp32"],
  ]);

  await Deno.writeTextFile(edited, JSON.stringify({ ...rec, status: "stopped" }));
  await assert.rejects(() => checkRecord(edited, { runsDir: tmp }, CPU), /the run is stopped; only a finished run/);
  await Deno.remove(tmp, { recursive: true });
});
