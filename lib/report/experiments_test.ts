import assert from "node:assert/strict";
import { join } from "node:path";
import { describeExperiment, loadExperiments, resolveExperiment, validateExperiment } from "./experiments.ts";
import { needsUserData } from "../experiment/spec.ts";
import { PAPER_TABLES, TABLE_IDS } from "./paper_numbers.ts";

Deno.test("every table has one config per own paper row (tables 5-8: subject and random folds)", async () => {
  let total = 0;
  for (const t of TABLE_IDS) {
    const exps = await loadExperiments(t);
    total += exps.length;
    const own = PAPER_TABLES[t].rows.filter((r) => r.ours && r.key !== "raw-depth").map((r) => r.key);
    for (const key of own) {
      const rows = exps.filter((e) => e.paperRow === key);
      if (["table5", "table6", "table7", "table8"].includes(t)) {
        assert.deepEqual(rows.map((e) => e.spec.protocol.kind === "kfold" && e.spec.protocol.by).sort(), [
          "random",
          "subject",
        ]);
      } else {
        assert.equal(rows.length, 1, `${t}/${key}`);
        assert.deepEqual(rows[0].spec.protocol, { kind: "split", train: "Training", val: "PublicTest" });
      }
    }
    for (const e of exps) assert.ok(own.includes(e.paperRow), `${t}/${e.row} measures unknown paper row ${e.paperRow}`);
  }
  assert.equal(total, 4 + 4 + 5 + 3 + 4 * 6);
  const ck = await loadExperiments("table5");
  assert.ok(ck.every((e) => e.spec.dataset.datasetsPath === "ckplus48" && e.spec.dataset.dropContempt === true));
  const jaffe = await loadExperiments("table7");
  assert.ok(jaffe.every((e) => needsUserData(e.spec.dataset) && e.spec.dataset.datasetsPath === undefined));
});

Deno.test("fast mode overrides width, input size, epochs and sample limits", async () => {
  const [e] = await loadExperiments("table1");
  const full = resolveExperiment(e, { fast: false });
  assert.equal(full.spec.model.inputSize, 256);
  assert.equal(full.spec.train.epochs, 100);
  assert.equal(full.maxTrain, undefined);
  const fast = resolveExperiment(e, { fast: true });
  assert.deepEqual(fast.spec.model, { preset: "table1-circle-lbp", inputSize: 48, width: 0.125, fcUnits: [64] });
  assert.deepEqual(fast.spec.train, { preset: "paper", epochs: 1, batchSize: 32 });
  assert.equal(fast.maxTrain, 256);
  assert.match(describeExperiment(fast), /^table1\/circle-lbp: fer2013, split train=Training .*\[fast\]$/);
});

Deno.test("cpu profile keeps the whole data and protocol but sizes model and training for a CPU", async () => {
  const [e] = await loadExperiments("table5");
  const cpu = resolveExperiment(e, { fast: false, cpu: true });
  assert.equal(e.spec.dataset.dataset, "ckplus");
  assert.deepEqual(cpu.spec.model, { preset: "paper", inputSize: 48, width: 0.5 });
  assert.deepEqual(cpu.spec.train, { preset: "cpu", epochs: 40, batchSize: 32 });
  const [fer] = await loadExperiments("table2");
  const ferCpu = resolveExperiment(fer, { fast: false, cpu: true });
  assert.equal(fer.spec.dataset.dataset, "fer2013");
  assert.deepEqual(ferCpu.spec.model, { ...fer.spec.model, inputSize: 48, width: 0.25 }, "FER2013 fits 90 minutes");
  assert.deepEqual(ferCpu.spec.train, {
    preset: "cosine",
    epochs: 6,
    batchSize: 32,
    augment: false,
    crop: { fraction: 0.875, flip: true },
    labelSmoothing: 0.1,
    tta: "tencrop",
    keep: "last",
  });
  assert.equal(ferCpu.train.optimizer, "adam", "the screen's recipe: Adam with a cosine decay");
  assert.deepEqual(cpu.spec.protocol, e.spec.protocol);
  assert.equal(cpu.maxTrain, undefined);
  assert.equal(cpu.fast, false);
  assert.equal(cpu.profile, "cpu");
  assert.equal(cpu.precision, "auto", "bf16 where the CPU has bf16 instructions, else fp32");
  assert.equal(ferCpu.precision, "fp32", "FER2013's rows: the same numerics on every CPU");
  assert.equal(resolveExperiment(e, { fast: false }).precision, undefined, "the paper's setting keeps the default");
  assert.match(describeExperiment(cpu), /5-fold by (random|subject) .*backend=auto precision=auto \[cpu profile\]$/);
  assert.throws(() => resolveExperiment(e, { fast: true, cpu: true }), /one of the fast and cpu profiles/);
});

Deno.test("bad configs are rejected with the file and field named", async () => {
  assert.throws(() => validateExperiment({ table: "table9" }, "x.json"), /x\.json: table must be one of/);
  const [good] = await loadExperiments("table3");
  assert.throws(
    () => validateExperiment({ ...good, spec: { ...good.spec, model: { preset: "huge" } } }, "y.json"),
    /y\.json "spec": unknown model preset "huge" \(have paper, .*cpu-tiny, cpu-tiny-gated\)/,
  );
  assert.throws(
    () =>
      validateExperiment(
        { ...good, spec: { ...good.spec, protocol: { kind: "kfold", k: 5, by: "people", seed: 1 } } },
        "z.json",
      ),
    /z\.json "spec": k-fold protocol needs/,
  );
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "table3"));
  await Deno.writeTextFile(join(dir, "table3", "A.json"), "{ not json");
  await assert.rejects(() => loadExperiments("table3", dir), /A\.json: not valid JSON/);
  await Deno.writeTextFile(join(dir, "table3", "A.json"), JSON.stringify({ ...good, row: "B" }));
  await assert.rejects(() => loadExperiments("table3", dir), /row "B" does not match the file name/);
  await assert.rejects(() => loadExperiments("table4", dir), /no experiment folder .*table4/);
  await Deno.remove(dir, { recursive: true });
});
