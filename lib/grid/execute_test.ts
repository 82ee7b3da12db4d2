import assert from "node:assert/strict";
import { needsDataset } from "../data/fixtures.ts";
import { planTable } from "../report/experiments.ts";
import { executeExperiment, openExperimentDataset, type Trainer } from "./execute.ts";
import type { Runtime } from "../backend/runtime.ts";
import { resolveModel } from "../experiment/spec.ts";
import type { RunRecord } from "../experiment/record.ts";

Deno.test({
  ...needsDataset("ckplus48", "fast mode opens CK+48 without contempt and caps it to maxTrain + maxVal samples"),
  fn: async () => {
    const [r] = await planTable("table5", { fast: true, row: "full-subject" });
    const ds = await openExperimentDataset(r);
    assert.ok(!ds.classes.includes("contempt"));
    assert.equal(ds.classes.length, 6);
    assert.equal(ds.samples.length, r.maxTrain! + r.maxVal!);
    assert.ok(new Set(ds.samples.map((s) => s.subject)).size > 20, "subjects spread over the subset");
    const full = await openExperimentDataset((await planTable("table5", { fast: false, row: "full-subject" }))[0]);
    assert.equal(full.samples.length, 981 - 54); // CK+48 minus its 54 contempt images
  },
});

Deno.test("user-data tables ask for --root", async () => {
  const [r] = await planTable("table7", { fast: true });
  await assert.rejects(() => openExperimentDataset(r), /jaffe cannot be redistributed; pass --root/);
});

Deno.test({
  ...needsDataset("ckplus48", "executeExperiment hands the trainer the row's dataset, model, protocol and fast flag"),
  fn: async () => {
    const [r] = await planTable("table5", { fast: true, row: "no-lbp-random" });
    const calls: Parameters<Trainer["runExperiment"]>[0][] = [];
    const trainer: Trainer = {
      runExperiment: (o) => {
        calls.push(o);
        return Promise.resolve({ dir: "/runs/x", record: { id: "x" } as RunRecord });
      },
      selectRuntime: (rt) => Promise.resolve({ backend: rt.backend === "auto" ? "cpu" : "?" }),
    };
    const out = await executeExperiment(r, {}, trainer);
    assert.equal(out.dir, "/runs/x");
    const o = calls[0];
    assert.deepEqual(o.spec.protocol, { kind: "kfold", k: 5, by: "random", seed: 42 });
    assert.deepEqual(o.experiment, { table: "table5", row: "no-lbp-random", fast: true });
    assert.equal(o.backend, "cpu");
    assert.deepEqual(o.spec.model, { preset: "table1-no-lbp", inputSize: 48, width: 0.125, fcUnits: [64] });
    assert.equal(resolveModel(o.spec.model, o.dataset.classes.length).numClasses, 6, "the dataset gives the classes");
    assert.deepEqual(o.spec.train, { preset: "paper", epochs: 1, batchSize: 32 });
    assert.equal(o.train.lr, 1e-6); // the paper preset, resolved
    assert.equal(o.train.epochs, 1);
    assert.equal(o.dataset.samples.length, 224);
  },
});

Deno.test({
  ...needsDataset(
    "ckplus48",
    "the CPU profile's runs ask for precision auto; a --precision flag wins, other profiles keep fp32",
  ),
  fn: async () => {
    const asked: Runtime[] = [];
    const trainer: Trainer = {
      runExperiment: () => Promise.resolve({ dir: "/runs/x", record: { id: "x" } as RunRecord }),
      selectRuntime: (rt) => (asked.push(rt), Promise.resolve({ backend: "cpu" })),
    };
    const [cpu] = await planTable("table5", { fast: false, cpu: true, row: "full-subject" });
    const [fast] = await planTable("table5", { fast: true, row: "full-subject" });
    await executeExperiment(cpu, {}, trainer);
    await executeExperiment(cpu, { runtime: { precision: "bf16" } }, trainer);
    await executeExperiment(fast, {}, trainer);
    assert.deepEqual(asked.map((rt) => [rt.backend, rt.precision]), [["auto", "auto"], ["auto", "bf16"], [
      "auto",
      "fp32",
    ]]);
  },
});
