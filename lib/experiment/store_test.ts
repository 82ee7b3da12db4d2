import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { trainPreset } from "../engine/config.ts";
import { preset } from "../model/presets.ts";
import type { EpochMetrics } from "../engine/epoch.ts";
import { readMetricsCsv } from "./record.ts";
import { fileStore, readRun } from "./store.ts";
import { parquetStore } from "./parquet_store.ts";

const history: EpochMetrics[] = [
  { epoch: 1, loss: 1.2, accuracy: 0.4, val_loss: 1.1, val_accuracy: 0.45, lr: 1e-3, seconds: 2.5, img_per_s: 40 },
  { epoch: 2, loss: 0.9, accuracy: 0.6, val_loss: 1.0, val_accuracy: 0.55, lr: 5e-4, seconds: 2.4, img_per_s: 41.5 },
];

const start = (store: typeof fileStore, runsDir: string) =>
  store.start({
    runsDir,
    experiment: { table: "5", row: "ours" },
    config: { model: preset("cpu-tiny"), train: trainPreset("default") },
    dataset: { name: "ckplus", root: "/data/ck", summary: { n: 981 } },
    protocol: { kind: "kfold", k: 5, by: "subject", seed: 1 },
    backend: "cpu",
  });

Deno.test("the file store keeps run.json and metrics.csv, with nothing else", async () => {
  const runsDir = await Deno.makeTempDir();
  const { dir, record } = await start(fileStore, runsDir);
  assert.match(record.id, /^\d{8}-\d{6}-ckplus-ours-[0-9a-f]{4}$/);
  assert.equal((await readRun(dir)).status, "running");
  await fileStore.writeMetrics(dir, history);
  assert.deepEqual(await readMetricsCsv(`${dir}/metrics.csv`), history);
  const done = await fileStore.update(dir, { status: "done", epochs: 2, mean: { accuracy: 0.9, macroF1: 0.8 } });
  assert.equal((await fileStore.read(dir)).status, "done");
  assert.equal(done.protocol.kind, "kfold");
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["metrics.csv", "run.json"]);
  await assert.rejects(() => readRun(`${runsDir}/nope`), /nope\/run\.json: cannot read the run record/);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("the parquet adapter adds metrics.parquet with the same columns and values", async () => {
  const runsDir = await Deno.makeTempDir();
  const { dir } = await start(parquetStore, runsDir);
  await parquetStore.writeMetrics(dir, history);
  assert.deepEqual(await readMetricsCsv(`${dir}/metrics.csv`), history);
  const df = pl.readParquet(`${dir}/metrics.parquet`);
  assert.deepEqual(df.columns, ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds", "img_per_s"]);
  assert.deepEqual(df.getColumn("val_accuracy").toArray(), [0.45, 0.55]);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "metrics.csv",
    "metrics.parquet",
    "run.json",
  ]);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("a metrics.csv with the wrong header is named", async () => {
  const f = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeTextFile(f, "a,b\n1,2\n");
  await assert.rejects(() => readMetricsCsv(f), /expected header "epoch,loss/);
  await Deno.remove(f);
});
