import assert from "node:assert/strict";
import { join } from "node:path";
import { metricsCsv } from "../experiment/record.ts";
import { planGrid } from "./plan.ts";
import { writeRunOf } from "../report/testing.ts";
import { checkSettings, clusterSettings, hms, shellQuote, taskResources, UNMEASURED_TIME } from "./cluster.ts";

Deno.test("cluster settings: a JSON file under the options, each field checked with the file named", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "fer-cluster.json");
  await Deno.writeTextFile(file, JSON.stringify({ partition: "gpu", account: "lab", sbatch: ["--qos=long"], cpus: 8 }));
  assert.deepEqual(await clusterSettings({ partition: "short", cpus: undefined }, file), {
    partition: "short",
    account: "lab",
    sbatch: ["--qos=long"],
    cpus: 8,
  });
  await Deno.writeTextFile(file, JSON.stringify({ partiton: "gpu" }));
  await assert.rejects(() => clusterSettings({}, file), /fer-cluster.json: unknown field\(s\) partiton; known: /);
  await Deno.writeTextFile(file, "{");
  await assert.rejects(() => clusterSettings({}, file), /fer-cluster.json: not valid JSON/);
  await assert.rejects(
    () => clusterSettings({}, join(dir, "none.json")),
    /none.json: cannot read the cluster settings/,
  );
  assert.throws(() => checkSettings({ time: "90" }, "options"), /options: "time" must be \[D-\]HH:MM:SS, got "90"/);
  assert.throws(() => checkSettings({ cpus: 0 }, "x"), /x: "cpus" must be a positive integer, got 0/);
  assert.throws(() => checkSettings({ sbatch: ["qos=1"] }, "x"), /"sbatch" must be a list of sbatch options/);
  assert.throws(() => checkSettings([], "x"), /x: expected a JSON object/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("task resources: a GPU on CUDA, the time limit from the epochs measured in the runs folder", async () => {
  const runs = await Deno.makeTempDir();
  const jobs = await planGrid("table5", { fast: true, rows: ["full-subject"], overrides: { k: 2, epochs: 10 } });
  const none = await taskResources(jobs, { runsDir: runs, device: "cuda:0", settings: {} });
  assert.deepEqual([none.gpu, none.cpus, none.time], [true, 4, UNMEASURED_TIME]);
  assert.match(none.notes.join("\n"), /no measured epoch for full-subject in /);
  // a finished run like it (same dataset, model and batch) whose epochs took 30 s and 50 s on the CPU
  const [row] = jobs.map((j) => j.experiment);
  await writeRunOf(runs, "r1", row, { dataset: { name: "ckplus", root: "/d", summary: {} } });
  const epoch = { loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 1e-3, img_per_s: 10 };
  await Deno.mkdir(join(runs, "r1", "fold-1"));
  await Deno.writeTextFile(
    join(runs, "r1", "fold-1", "metrics.csv"),
    metricsCsv([{ ...epoch, epoch: 1, seconds: 30 }, { ...epoch, epoch: 2, seconds: 50 }]),
  );
  const cpu = await taskResources(jobs, { runsDir: runs, settings: { cpus: 2 } });
  // 10 epochs × 40 s × 1.5 + 5 min = 15 min
  assert.deepEqual([cpu.gpu, cpu.cpus, cpu.time], [false, 2, "0:15:00"]);
  assert.match(
    cpu.notes.join("\n"),
    /time: 0:15:00 = 10 epochs × 40\.0 s \(median epoch of 1 run\(s\)\) × 1\.5 \+ 5 min/,
  );
  const gpu = await taskResources(jobs, { runsDir: runs, device: "cuda", settings: {} });
  assert.match(gpu.notes.join("\n"), /measured without CUDA/);
  const set = await taskResources(jobs, { runsDir: runs, settings: { time: "2-00:00:00" } });
  assert.equal(set.time, "2-00:00:00");
  await Deno.remove(runs, { recursive: true });
});

Deno.test("hms and shellQuote", () => {
  assert.equal(hms(660), "0:11:00");
  assert.equal(hms(90061), "1-1:01:01");
  assert.equal(shellQuote("/a/b-c_d.e"), "/a/b-c_d.e");
  assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
});
