import assert from "node:assert/strict";
import { join } from "node:path";
import { datasetsRoot } from "../data/paths.ts";
import { planTable } from "./experiments.ts";
import { type Engine, executeExperiment, openExperimentDataset } from "./execute.ts";
import { trainPreset } from "../engine/config.ts";
import type { RunRecord } from "../experiment/record.ts";

const root = datasetsRoot();
const hasCk = root !== null && (() => {
  try {
    return Deno.statSync(join(root, "ckplus48")).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "fast mode opens CK+48 without contempt and caps it to maxTrain + maxVal samples",
  ignore: !hasCk,
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
  name: "executeExperiment hands the engine the row's dataset, model, protocol and fast flag",
  ignore: !hasCk,
  fn: async () => {
    const [r] = await planTable("table5", { fast: true, row: "no-lbp-random" });
    const calls: Parameters<Engine["runExperiment"]>[0][] = [];
    const engine: Engine = {
      runExperiment: (o) => {
        calls.push(o);
        return Promise.resolve({ dir: "/runs/x", record: { id: "x" } as RunRecord });
      },
      trainPreset: (name, overrides) => ({ ...trainPreset(name, overrides), optimizer: "sgd" }),
      selectBackend: (name) => Promise.resolve({ backend: name === "auto" ? "cpu" : "?" }),
    };
    const out = await executeExperiment(r, {}, engine);
    assert.equal(out.dir, "/runs/x");
    const o = calls[0];
    assert.deepEqual(o.protocol, { kind: "kfold", k: 5, by: "random", seed: 42 });
    assert.deepEqual(o.experiment, { table: "table5", row: "no-lbp-random", fast: true });
    assert.equal(o.backend, "cpu");
    assert.equal(o.model.lbp, "none");
    assert.equal(o.model.inputSize, 48);
    assert.equal(o.model.width, 0.125);
    assert.equal(o.model.numClasses, 6);
    assert.equal(o.train.epochs, 1);
    assert.equal(o.train.batchSize, 32);
    assert.equal(o.train.lr, 1e-6); // the paper preset
    assert.equal(o.train.optimizer, "sgd"); // came through the engine given
    assert.equal(o.dataset.samples.length, 224);
  },
});
