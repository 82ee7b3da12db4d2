import assert from "node:assert/strict";
import { join } from "node:path";
import { command } from "./reproduce.ts";
import { planTable } from "../report/experiments.ts";
import { experimentModel } from "../report/identity.ts";
import { FER, writeRunOf } from "../report/testing.ts";
import { captureLog } from "./testing.ts";

Deno.test("reproduce --dry-run lists one line per configuration of the table", async () => {
  const { code, out } = await captureLog(() => command.run(["table5", "--fast", "--dry-run"]));
  assert.equal(code, 0);
  const lines = out.trim().split("\n");
  assert.match(lines[0], /plan for table5 \(fast mode\): 6 configuration/);
  assert.equal(lines.length, 7);
  assert.ok(lines.some((l) => /table5\/full-subject: ckplus, 5-fold by subject .*\[fast\]/.test(l)));
  const one = await captureLog(() => command.run(["table3", "--dry-run", "--row", "E"]));
  assert.match(
    one.out,
    /table3\/E: fer2013, split .* model=table3-E input=256, train=paper epochs=100, backend=auto$/,
  );
});

Deno.test("reproduce rejects an unknown table and row", async () => {
  const orig = console.error;
  console.error = () => {};
  try {
    assert.equal(await command.run(["table9", "--dry-run"]), 2);
  } finally {
    console.error = orig;
  }
  await assert.rejects(() => command.run(["table3", "--dry-run", "--row", "Z"]), /table3 has no row "Z"/);
});

Deno.test("reproduce --report-only writes the table from run records in a temp dir", async () => {
  const dir = await Deno.makeTempDir();
  const runs = join(dir, "runs");
  await Deno.mkdir(join(runs, "x1"), { recursive: true });
  await Deno.writeTextFile(
    join(runs, "x1", "run.json"),
    JSON.stringify({
      id: "x1",
      createdAt: "2026-11-27T10:00:00Z",
      experiment: { table: "table3", row: "C", fast: true },
      protocol: { kind: "split", train: "Training", val: "PublicTest" },
      backend: "cpu",
      status: "done",
      epochs: 1,
      result: { split: "PublicTest", accuracy: 0.25, macroF1: 0.1 },
    }),
  );
  const errOrig = console.error;
  console.error = () => {};
  try {
    const { code, out } = await captureLog(() =>
      command.run(["table3", "--report-only", "--runs-dir", runs, "--out", join(dir, "tables")])
    );
    assert.equal(code, 0);
    // a FER2013 table ends with its reading against the complete network (row E), which has no record here
    assert.match(out, /#### Reading\n\nNo reading: E has no record\.\n/);
  } finally {
    console.error = errOrig;
  }
  const md = await Deno.readTextFile(join(dir, "tables", "table3.md"));
  assert.match(
    md,
    /\| C \(3\) \| ours \| .* \| 75\.52 \| 25\.00 \| {2}\| \[x1\]\(\.\.\/runs\/x1\/run\.json\) \| {2}\| 1 \| cpu \| yes \|/,
  );
  assert.match(md, /\| A \(1\) \| ours \| .* \| 74\.83 \| not run \|/);
  const csv = await Deno.readTextFile(join(dir, "tables", "table3.csv"));
  assert.equal(csv.trim().split("\n").length, 6);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("fer reproduce does not train an experiment that already has a finished run (--rerun would)", async () => {
  const dir = await Deno.makeTempDir();
  const [r] = await planTable("table5", { fast: true, row: "full-subject" });
  const classes = FER.slice(0, 6);
  await writeRunOf(dir, "done", r, {
    experiment: { table: "table5", row: "full-subject", fast: true },
    dataset: { name: "ckplus", summary: { classes } },
    config: { model: experimentModel(r, 6), train: r.train },
    result: undefined,
    mean: { accuracy: 0.4, macroF1: 0.3 },
    std: { accuracy: 0.05, macroF1: 0.05 },
  });
  const err: string[] = [], log = console.error, out = console.log;
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  console.log = () => {};
  try {
    const args = ["table5", "--fast", "--row", "full-subject", "--runs-dir", dir, "--out", join(dir, "tables")];
    assert.equal(await command.run(args), 0);
  } finally {
    console.error = log;
    console.log = out;
  }
  assert.ok(err.some((l) => /same experiment already run: done \(table5\/full-subject\); not training again/.test(l)));
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["done", "tables"], "no new run");
  assert.match(await Deno.readTextFile(join(dir, "tables", "table5.md")), /40\.00 ± 5\.00 \| {2}\| \[done\]/);
  await Deno.remove(dir, { recursive: true });
});
