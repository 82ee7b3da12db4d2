import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildTable,
  foldComparison,
  foldComparisonMarkdown,
  table1,
  table4,
  table5,
  table7,
  tableCsv,
  tableMarkdown,
  writeTable,
} from "./tables.ts";
import { readRuns } from "./runs.ts";
import { binomialSe } from "./noise.ts";
import { projectRoot } from "../util/mod.ts";

const report = (split: string, accuracy: number) => ({
  split,
  accuracy,
  macroF1: accuracy - 0.05,
  perClass: {},
  confusion: [],
  labels: [],
});

async function writeRun(dir: string, id: string, rec: Record<string, unknown>) {
  await Deno.mkdir(join(dir, id), { recursive: true });
  await Deno.writeTextFile(
    join(dir, id, "run.json"),
    JSON.stringify({ id, gitCommit: null, backend: "cpu", config: { model: {}, train: {} }, ...rec }),
  );
}

const split = { kind: "split", train: "Training", val: "PublicTest" };

async function fixtureRuns(): Promise<string> {
  const dir = await Deno.makeTempDir();
  // circle-lbp: an older full run, the newest full run, and a later fast run (full must win)
  await writeRun(dir, "r1", {
    createdAt: "2026-11-27T10:00:00Z",
    experiment: { table: "table1", row: "circle-lbp" },
    protocol: split,
    status: "done",
    epochs: 30,
    result: report("PublicTest", 0.5),
  });
  await writeRun(dir, "r2", {
    createdAt: "2026-11-27T11:00:00Z",
    experiment: { table: "table1", row: "circle-lbp" },
    protocol: split,
    status: "done",
    epochs: 40,
    backend: "webgpu",
    config: { model: { inputSize: 256, width: 1 }, train: {} },
    // 3,589 test faces (the sum of its confusion matrix): a standard error of 0.81 points at 61.23%
    result: { ...report("PublicTest", 0.61234), confusion: [[1000, 389], [1000, 1200]] },
  });
  await writeRun(dir, "r3", {
    createdAt: "2026-11-27T12:00:00Z",
    experiment: { table: "table1", row: "circle-lbp", fast: true },
    protocol: split,
    status: "done",
    epochs: 1,
    result: report("PublicTest", 0.2),
  });
  // no-lbp: fast only; original-lbp: failed (must show as not run)
  await writeRun(dir, "r4", {
    createdAt: "2026-11-27T12:30:00Z",
    experiment: { table: "table1", row: "no-lbp", fast: true },
    protocol: split,
    status: "done",
    epochs: 1,
    result: report("PublicTest", 0.3),
  });
  await writeRun(dir, "r5", {
    createdAt: "2026-11-27T12:40:00Z",
    experiment: { table: "table1", row: "original-lbp" },
    protocol: split,
    status: "failed",
    epochs: 3,
  });
  for (const [id, by, acc] of [["k1", "subject", 0.8], ["k2", "random", 0.955]] as const) {
    await writeRun(dir, id, {
      createdAt: "2026-11-27T13:00:00Z",
      experiment: { table: "table5", row: `full-${by}` },
      protocol: { kind: "kfold", k: 5, by, seed: 42 },
      status: "done",
      epochs: 20, // summed over the folds, as the engine writes it
      config: { model: { inputSize: 48, width: 0.125 }, train: { epochs: 4 } },
      folds: [report("fold1", acc)],
      mean: { accuracy: acc, macroF1: acc - 0.1 },
      std: { accuracy: 0.0312, macroF1: 0.02 },
    });
  }
  await Deno.mkdir(join(dir, "no-record-yet"));
  return dir;
}

Deno.test("table1 picks the newest finished full run, flags fast runs, never invents numbers", async () => {
  const runsDir = await fixtureRuns();
  const t = await table1({ runsDir });
  const row = (k: string) => t.rows.find((r) => r.key === k)!;
  assert.equal(row("circle-lbp").measured, 61.23);
  assert.equal(row("circle-lbp").runId, "r2");
  assert.equal(row("circle-lbp").epochs, 40);
  assert.equal(row("circle-lbp").backend, "webgpu");
  assert.equal(row("circle-lbp").fast, false);
  assert.equal(row("circle-lbp").paper, 75.82);
  assert.equal(row("circle-lbp").se, 0.81);
  assert.equal(row("no-lbp").se, undefined, "no confusion matrix, no face count, no standard error");
  assert.equal(row("no-lbp").measured, 30);
  assert.equal(row("no-lbp").fast, true);
  assert.equal(row("original-lbp").measured, null);
  assert.equal(row("original-lbp").status, "not run");
  assert.equal(row("uniform-lbp").status, "not run");
  assert.deepEqual(t.rows.map((r) => r.key), ["original-lbp", "uniform-lbp", "circle-lbp", "no-lbp"]);
  const md = tableMarkdown(t, join(runsDir, "..", "tables"));
  assert.match(
    md,
    /\| Circle LBP \| ours \| .* \| 75\.82 \| 61\.23 \| 0\.81 \| \[r2\]\(.*r2\/run\.json\) \| 256px ×1 \| 40 \| webgpu \| no \|/,
  );
  assert.match(md, /\| Uniform LBP \| ours \| .* \| 70\.32 \| not run \|/);
  const unlinked = tableMarkdown(t, null);
  assert.match(unlinked, /\| 61\.23 \| 0\.81 \| `r2` \| 256px ×1 \|/);
  assert.doesNotMatch(unlinked, /\]\(/, "no links when there is no base to resolve them from");
  const csv = tableCsv(t).trim().split("\n");
  assert.equal(csv.length, 5);
  assert.ok(csv.some((l) => l.startsWith("table1,ours,uniform-lbp,Uniform LBP,") && l.includes(",70.32,,,,not run,")));
  assert.ok(csv.some((l) => l.startsWith("table1,ours,circle-lbp,") && l.includes(",75.82,61.23,,0.81,measured,r2,")));
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("table5 reports subject vs random folds with std and the inflation; other methods are reported only", async () => {
  const runsDir = await fixtureRuns();
  const t = await table5({ runsDir });
  const full = t.rows.find((r) => r.key === "full-subject")!;
  assert.equal(full.measured, 80);
  assert.equal(full.std, 3.12);
  assert.equal(full.paper, 98.68);
  assert.equal(full.epochs, 4, "epochs per model, not summed over folds");
  assert.equal(full.model, "48px ×0.125");
  assert.deepEqual(t.rows.filter((r) => r.source === "ours").map((r) => r.key), [
    "full-subject",
    "full-random",
    "no-lbp-subject",
    "no-lbp-random",
    "no-attention-subject",
    "no-attention-random",
  ]);
  const zhang = t.rows.find((r) => r.key === "zhang")!;
  assert.equal(zhang.status, "reported only");
  assert.equal(zhang.measured, null);
  const cmp = foldComparison(t);
  assert.deepEqual(cmp.find((c) => c.variant === "full"), {
    variant: "full",
    subject: 80,
    random: 95.5,
    inflation: 15.5,
    paper: 98.68,
  });
  assert.equal(cmp.find((c) => c.variant === "no-lbp")!.inflation, null);
  const md = foldComparisonMarkdown(cmp);
  assert.match(md, /\| full \| 80\.00 \| 95\.50 \| 15\.50 \| 98\.68 \|/);
  assert.match(md, /\| no-lbp \| not run \| not run \| — \| 97\.53 \|/);
  const ncufe = await buildTable("table8", { runsDir });
  const depth = ncufe.rows.find((r) => r.key === "raw-depth")!;
  assert.equal(depth.status, "not run");
  assert.equal(depth.paper, 90.35);
  assert.match(depth.protocol, /not reproducible/);
  const j = await table7({ runsDir });
  assert.ok(j.rows.filter((r) => r.source === "ours").every((r) => r.status === "needs user data"));
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("table4 carries peer rows and writeTable writes md and csv", async () => {
  const runsDir = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  const peerReport = {
    peer: "human" as const,
    split: "PublicTest",
    n: 3589,
    accuracy: 0.6543,
    macroF1: 0.6,
    perClass: {},
    confusion: [],
    labels: [],
    backend: "wasm",
  };
  const t = await table4({ runsDir, peers: [peerReport] });
  const peer = t.rows.find((r) => r.source === "peer")!;
  assert.equal(peer.measured, 65.43);
  assert.equal(peer.se, 0.79, "√(0.6543·0.3457/3589) in points");
  assert.equal(peer.paper, null);
  assert.equal(t.rows.filter((r) => r.source === "ours" && r.status === "not run").length, 3);
  const { md, csv } = await writeTable(t, out);
  assert.match(await Deno.readTextFile(md), /@vladmandic\/human emotion .* \| 65\.43 \| 0\.79 \|/);
  assert.match(await Deno.readTextFile(csv), /^table,source,key/);
  const cited = await table4({ runsDir, peers: [peerReport], peersRecord: "/x/results/peers/p.json" });
  const row = cited.rows.find((r) => r.source === "peer")!;
  assert.deepEqual([row.label, row.runFile], ["@vladmandic/human emotion (pretrained)", "/x/results/peers/p.json"]);
  const ship = `${projectRoot()}/results/shipped/fer2013.json`;
  const withShipped = await table4({ runsDir, shipped: ship });
  const own = withShipped.rows.find((r) => r.key === "shipped:fer2013")!;
  const rec = JSON.parse(await Deno.readTextFile(ship));
  assert.equal(own.measured, Math.round(rec.shipped.tencrop.accuracy * 10000) / 100);
  const faces = rec.shipped.tencrop.confusion.flat().reduce((s: number, v: number) => s + v, 0);
  assert.equal(faces, 3589, "the shipped model's ten-crop evaluation counted every PublicTest face");
  assert.equal(own.se, Math.round(binomialSe(rec.shipped.tencrop.accuracy, faces) * 100) / 100);
  assert.deepEqual([own.source, own.status, own.runFile], ["ours", "measured", ship]);
  assert.match(own.protocol, /^train Training, report PublicTest; last epoch/);
  await Deno.remove(runsDir, { recursive: true });
  await Deno.remove(out, { recursive: true });
});

Deno.test("a malformed run.json is an error naming the file; a missing runs folder is no runs", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual(await readRuns(join(dir, "absent")), []);
  await writeRun(dir, "bad", { createdAt: "x", protocol: { kind: "holdout" }, status: "done", epochs: 1 });
  await assert.rejects(() => readRuns(dir), /bad\/run\.json: "protocol\.kind" must be split or kfold/);
  await Deno.writeTextFile(join(dir, "bad", "run.json"), "{");
  await assert.rejects(() => readRuns(dir), /bad\/run\.json: not valid JSON/);
  await Deno.remove(dir, { recursive: true });
});
