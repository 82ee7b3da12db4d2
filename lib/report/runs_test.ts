import assert from "node:assert/strict";
import { join } from "node:path";
import { readRecord, readRuns } from "./runs.ts";

const record = (id: string, createdAt: string) => ({
  id,
  createdAt,
  protocol: { kind: "kfold", k: 5, by: "subject", seed: 42 },
  status: "done",
  mean: { accuracy: 0.9, macroF1: 0.8 },
});

Deno.test("readRuns: run folders and committed records of several folders, oldest first", async () => {
  const runs = await Deno.makeTempDir(), results = await Deno.makeTempDir();
  await Deno.mkdir(join(runs, "b"));
  await Deno.writeTextFile(join(runs, "b", "run.json"), JSON.stringify(record("b", "2026-11-29T02:00:00Z")));
  await Deno.mkdir(join(runs, "started")); // no run.json yet: not a run
  await Deno.writeTextFile(join(results, "a.json"), JSON.stringify(record("a", "2026-11-29T01:00:00Z")));
  await Deno.writeTextFile(join(results, "notes.txt"), "not a record");
  const got = await readRuns([runs, results, join(runs, "missing")]);
  assert.deepEqual(got.map((r) => [r.record.id, r.file]), [
    ["a", join(results, "a.json")],
    ["b", join(runs, "b", "run.json")],
  ]);
  assert.equal(got[1].dir, join(runs, "b"));

  await Deno.writeTextFile(join(results, "c.json"), JSON.stringify({ ...record("c", "x"), status: "great" }));
  await assert.rejects(() => readRuns(results), /c\.json: unknown status "great"/);
  await Deno.writeTextFile(join(results, "c.json"), "{");
  await assert.rejects(() => readRecord(join(results, "c.json")), /c\.json: not valid JSON/);
  await Deno.remove(runs, { recursive: true });
  await Deno.remove(results, { recursive: true });
});
