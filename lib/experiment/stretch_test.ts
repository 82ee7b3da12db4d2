import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { loadDataset } from "../data/load.ts";
import { hostInfo } from "../util/host.ts";
import type { RunRecord } from "./record.ts";
import { runExperiment } from "./run.ts";
import { type DatasetSpec, parseSpec } from "./spec.ts";
import { extendStretch, startStretch } from "./stretch.ts";

await tf.setBackend("cpu");

Deno.test("a stretch starts where the run stood, on this machine, and extends only the last one", () => {
  const first = startStretch([], { precision: "fp32", threads: 2 }, 0);
  assert.equal(first.length, 1);
  assert.deepEqual(
    [first[0].cpu, first[0].bf16, first[0].precision, first[0].threads, first[0].fromEpoch, first[0].toEpoch],
    [hostInfo().cpu, hostInfo().bf16, "fp32", 2, 0, 0],
  );
  const done = extendStretch(first, 3, 12.3456);
  const two = startStretch(done, { precision: null, threads: null }, 3);
  const later = extendStretch(two, 5, 1);
  assert.deepEqual(later.map((s) => [s.fromEpoch, s.toEpoch, s.minutes]), [[0, 3, 12.35], [3, 5, 1]]);
  assert.equal(later[0], done[0], "an earlier stretch is kept as it was");
  assert.throws(() => extendStretch([], 1, 1), /no stretch was started/);
});

Deno.test("run.json lists each process that trained a run: the first and a resume that grew the epochs", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const spec: DatasetSpec = { dataset: "synthetic", n: 48, size: 16, seed: 3 };
    const dataset = await loadDataset(spec);
    const parsed = (epochs: number) =>
      parseSpec({
        dataset: spec,
        model: { preset: "cpu-tiny", inputSize: 16, featureExtraction: false },
        train: { preset: "default", epochs, batchSize: 16 },
        protocol: { kind: "split", train: "all", val: "holdout:0.25" },
      }, "stretch_test");
    const base = { dataset, datasetSpec: spec, backend: "cpu", runsDir: runs };
    const { dir } = await runExperiment({ ...base, ...parsed(1) });
    await runExperiment({ ...base, ...parsed(2), resumeDir: dir });
    const rec: RunRecord = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
    assert.equal(rec.epochs, 2);
    const s = rec.stretches!;
    assert.deepEqual(s.map((x) => [x.fromEpoch, x.toEpoch]), [[0, 1], [1, 2]]);
    assert.ok(s.every((x) => x.cpu === hostInfo().cpu && x.precision === null && x.minutes > 0));
    assert.ok(s[0].started <= s[1].started);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});
