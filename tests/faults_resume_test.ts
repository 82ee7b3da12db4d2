/**
 * The fault suite's resume cases (issue 16): `--resume` refuses data, a model or a training that differ
 * from the record and writes the changes it allows (#2); resuming a finished run changes nothing (#8);
 * one process at a time per run folder (#8); a stale temporary file from a kill is cleared (#8); a
 * corrupted checkpoint or model file is named (#8).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fer, lastJson, readRecord, runDirs, spawnFer, suiteTempDir, tempFiles, tinySpec } from "./faults_corpus.ts";

const dir = suiteTempDir("fer-faults-resume-");
const spec = await tinySpec(dir, { epochs: 3 });
const runs = `${dir}/runs`;

/** A finished 3-epoch run, shared by the tests below. */
const finished = await (async () => {
  const r = await fer(["train", "--config", spec, "--runs", runs, "--json"]);
  assert.equal(r.code, 0, r.err);
  return lastJson<{ run: string }>(r).run;
})();

/** `fer train --resume <run> <flags>` must fail with `message` and leave run.json as it was. */
async function resumeRefused(run: string, flags: string[], message: RegExp): Promise<void> {
  const before = await Deno.readTextFile(`${run}/run.json`);
  const r = await fer(["train", "--resume", run, ...flags]);
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}:\n${r.err}`);
  assert.match(r.err, message);
  assert.equal(await Deno.readTextFile(`${run}/run.json`), before, "the record is untouched");
}

Deno.test("#2 --resume refuses other data, naming both values", async () => {
  await resumeRefused(
    finished,
    ["--n", "40"],
    /^fer train: .*run\.json: --resume continues the run as recorded.*dataset\.n: 60 in the run, 40 now/m,
  );
  await resumeRefused(
    finished,
    ["--dataset", "folder", "--root", dir],
    /dataset\.dataset: "synthetic" in the run, "folder" now; dataset\.root: \(none\) in the run, ".*" now/,
  );
});

Deno.test("#2 --resume refuses another preset, size or learning rate, naming both values", async () => {
  await resumeRefused(finished, ["--preset", "cpu-small"], /model\.preset: "cpu-tiny" in the run, "cpu-small" now/);
  await resumeRefused(finished, ["--size", "24"], /model\.inputSize: 16 in the run, 24 now/);
  await resumeRefused(finished, ["--lr", "0.1"], /train\.lr: 0\.001 in the run, 0\.1 now/);
  await resumeRefused(
    finished,
    ["--epochs", "2"],
    /train\.epochs: 3 in the run, 2 now \(a resumed run can only add epochs\)/,
  );
});

Deno.test("#8 resuming a finished run changes nothing; more epochs continue it and are recorded", async () => {
  const before = await Deno.readTextFile(`${finished}/run.json`);
  const again = await fer(["train", "--resume", finished, "--json"]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.err, /already finished/);
  assert.equal(await Deno.readTextFile(`${finished}/run.json`), before, "seconds and all are kept");
  const was = JSON.parse(before);
  const more = await fer(["train", "--resume", finished, "--epochs", "4", "--json"]);
  assert.equal(more.code, 0, more.err);
  const rec = await readRecord(finished);
  assert.deepEqual([rec.status, rec.epochs, rec.config.train.epochs], ["done", 4, 4]);
  assert.ok(rec.seconds > was.seconds, `the seconds add up: ${was.seconds} then ${rec.seconds}`);
  const csv = (await Deno.readTextFile(`${finished}/metrics.csv`)).trim().split("\n");
  assert.equal(csv.length, 5, "4 epochs of metrics");
});

/** A run of `epochs` killed by the fail point `failpoint`; returns its folder. */
async function killedRun(name: string, epochs: number, failpoint: string): Promise<string> {
  const s = await tinySpec(await Deno.makeTempDir({ dir, prefix: name }), { epochs });
  const r = await fer(["train", "--config", s, "--runs", `${dir}/${name}`], { failpoint });
  assert.equal(r.signal, "SIGKILL", `the fail point ${failpoint} was reached:\n${r.err}`);
  const [run] = await runDirs(`${dir}/${name}`);
  return run;
}

Deno.test("#8 a stale checkpoint temporary file from a kill is removed on resume", async () => {
  const run = await killedRun("stale", 3, "checkpoint-rename:2");
  assert.equal((await tempFiles(run)).length, 1, "the kill left ckpt.bin.tmp-<pid>");
  const r = await fer(["train", "--resume", run]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(await tempFiles(run), []);
});

Deno.test("#8 two concurrent --resume of one run folder: one runs, the other is refused", async () => {
  const run = await killedRun("lock", 20, "batch:2");
  const a = spawnFer(["train", "--resume", run]);
  while (!(await exists(`${run}/run.lock`))) await new Promise((ok) => setTimeout(ok, 50));
  const b = await fer(["train", "--resume", run]);
  const both = [await a.done, b];
  const refused = both.filter((r) => r.code === 1), ran = both.filter((r) => r.code === 0);
  assert.equal(ran.length, 1, both.map((r) => r.err).join("\n---\n"));
  assert.equal(refused.length, 1, "the other resume was refused");
  assert.match(
    refused[0].err,
    /^fer train: .*lock\S*\/run\.lock: the run folder is in use by another fer process \(pid \d+ on .*, since .*\); wait for it to end or stop it$/m,
  );
  const rec = await readRecord(run);
  assert.equal(rec.status, "done");
  const rows = (await Deno.readTextFile(`${run}/metrics.csv`)).trim().split("\n").length - 1;
  assert.ok(rec.epochs > 2 && rows === rec.epochs, `${rec.epochs} epochs recorded, ${rows} rows of metrics`);
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("#8 a corrupted checkpoint header is an error naming the file", async () => {
  const run = await killedRun("corrupt", 3, "checkpoint-done:1");
  const path = `${run}/checkpoint/ckpt.bin`;
  const bytes = await Deno.readFile(path);
  bytes.set(new TextEncoder().encode("}}}}"), 12);
  await Deno.writeFile(path, bytes);
  const r = await fer(["train", "--resume", run]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^fer train: .*checkpoint\/ckpt\.bin: the checkpoint header is not valid JSON \(/m);
});

Deno.test("#8 a corrupted model.json is an error naming the file", async () => {
  const model = `${dir}/model-copy`;
  await Deno.mkdir(model);
  for (const f of ["model.json", "weights.bin", "fer-config.json"]) {
    await Deno.copyFile(`${finished}/model/${f}`, `${model}/${f}`);
  }
  await Deno.writeTextFile(`${model}/model.json`, '{"modelTopology": ');
  const e = await fer(["evaluate", "--model", model, "--dataset", "synthetic", "--n", "10"]);
  assert.equal(e.code, 1);
  assert.match(e.err, /^fer evaluate: .*model-copy\/model\.json: not valid JSON \(/m);
});
