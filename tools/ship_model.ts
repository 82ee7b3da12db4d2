/**
 * Packs a finished run's model into `models/<name>/` (issue 25): float16 weights (half the bytes), fer-config.json
 * with the model's name, and MODEL_CARD.md written from the records. Before it writes anything it checks the run:
 * finished, a split run on FER2013 with its record under results/. It then evaluates the run's float32 weights and
 * the float16 ones it packed on the run's validation split, single view and ten-crop, refuses float16 weights that
 * move the ten-crop accuracy by more than 0.1 point, and writes the ship record `results/shipped/<name>.json`.
 * `--card` only writes the card again from the two records (after a change of its template).
 *
 * @example
 * ```sh
 * FER_THREADS=2 deno run -A tools/ship_model.ts --run models/fer2013/training/<id> \
 *   --record results/runs/<id>.json --note "The long run of models/fer2013/recipe.json."
 * ```
 * @module
 */
import { join, relative } from "node:path";
import { runtimeOf, selectRuntime } from "../lib/backend/mod.ts";
import { loadDataset, pickSplit } from "../lib/data/mod.ts";
import { evaluate, ImageCache, lbpFor } from "../lib/engine/mod.ts";
import {
  datasetOptions,
  gitCommit,
  machineInfo,
  modelCard,
  type RunRecord,
  type ShipEvaluation,
  type ShipRecord,
} from "../lib/experiment/mod.ts";
import {
  type FerModel,
  loadModel,
  saveModel,
  SHIPPED_MODELS,
  shippedModelDir,
  summarizeModel,
} from "../lib/model/mod.ts";
import { scriptArgs, usageError } from "./args.ts";

const command = "deno run -A tools/ship_model.ts";
const { values: v } = scriptArgs(Deno.args, {
  command,
  summary: "Packs a finished FER2013 run's model into models/NAME/ (float16 weights, fer-config.json, MODEL_CARD.md) " +
    "after checking that float16 moves its ten-crop accuracy by 0.1 point at most; writes results/shipped/NAME.json.",
  options: {
    run: { type: "string", help: "the finished run folder (its model/ is packed); required unless --card" },
    record: {
      type: "string",
      help: "the run's record under results/ (a copy of its run.json); required unless --card",
    },
    name: { type: "string", default: "fer2013", help: `the shipped model (${SHIPPED_MODELS.join(", ")})` },
    note: { type: "string", default: "", help: "the card's first paragraph: why this model is shipped" },
    root: { type: "string", help: "the dataset (default: the record's root)" },
    card: {
      type: "boolean",
      help: "only write MODEL_CARD.md again from results/shipped/NAME.json and its run record",
    },
  },
});
if (!(SHIPPED_MODELS as readonly string[]).includes(v.name)) {
  usageError(command, `--name must be one of ${SHIPPED_MODELS.join(", ")}, got "${v.name}"`);
}
const name = v.name as typeof SHIPPED_MODELS[number];
const dir = shippedModelDir(name), shipPath = `results/shipped/${name}.json`, cardPath = join(dir, "MODEL_CARD.md");

/** Writes the card and the ship record; the card states the folder's bytes, itself included, so it is written
 * until its size stops changing. */
async function writeCard(ship: ShipRecord, run: RunRecord): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Deno.writeTextFile(cardPath, modelCard({ run, runPath: ship.record, ship, shipPath }));
    let bytes = 0;
    for await (const e of Deno.readDir(dir)) if (e.isFile) bytes += (await Deno.stat(join(dir, e.name))).size;
    if (bytes === ship.bytes) break;
    ship.bytes = bytes;
  }
  if (ship.bytes > 20e6) {
    throw new Error(`models/${name} holds ${ship.bytes} bytes, over the 20 MB a shipped model may`);
  }
  await Deno.mkdir("results/shipped", { recursive: true });
  await Deno.writeTextFile(shipPath, JSON.stringify(ship, null, 2) + "\n");
  console.log(JSON.stringify({ dir: ship.dir, bytes: ship.bytes, card: cardPath, record: shipPath }));
}

if (v.card) {
  const ship = JSON.parse(await Deno.readTextFile(shipPath)) as ShipRecord;
  await writeCard(ship, JSON.parse(await Deno.readTextFile(ship.record)) as RunRecord);
  Deno.exit(0);
}
if (!v.run || !v.record) usageError(command, "--run and --record are required");
const recordPath = relative(Deno.cwd(), v.record);
if (!recordPath.startsWith("results/")) usageError(command, `--record must be a file under results/, got ${v.record}`);
const run = JSON.parse(await Deno.readTextFile(v.record)) as RunRecord;
const own = JSON.parse(await Deno.readTextFile(join(v.run, "run.json"))) as RunRecord;
if (own.id !== run.id) throw new Error(`${v.record} is run ${run.id}, but ${v.run}/run.json is ${own.id}`);
if (run.status !== "done" || run.protocol.kind !== "split" || !run.result || run.dataset.name !== "fer2013") {
  throw new Error(`${v.record}: want a finished split run on fer2013 with a result (status ${run.status})`);
}
const split = run.protocol.val;

await selectRuntime(runtimeOf({ backend: "torch", precision: "fp32" }));
const ds = await loadDataset(datasetOptions({ dataset: "fer2013", root: v.root ?? run.dataset.root }));
const indices = pickSplit(ds, split);

async function evaluateBoth(fm: FerModel, what: string): Promise<ShipEvaluation> {
  const lbp = lbpFor(fm.config);
  const single = await evaluate({ model: fm, cache, indices, lbp, tta: "none", split });
  const tencrop = await evaluate({ model: fm, cache, indices, lbp, tta: "tencrop", split });
  console.error(
    `${what}: ${split} single ${(100 * single.accuracy).toFixed(2)}%, ten-crop ${(100 * tencrop.accuracy).toFixed(2)}%`,
  );
  return { single, tencrop };
}

const trained = await loadModel(join(v.run, "model"));
// one cache of the split's decoded faces for both evaluations: the shipped weights have the run's network
const cache = new ImageCache(ds, trained.config.inputSize);
const float32 = await evaluateBoth(trained, "float32 (the run's)");
await Deno.mkdir(dir, { recursive: true });
// the views its headline accuracy averages become what fer predict, fer evaluate and the page use by default
await saveModel({ ...trained, tta: run.config.train.tta ?? trained.tta }, dir, { weights: "float16", name });
const shippedModel = await loadModel(dir);
const shipped = await evaluateBoth(shippedModel, "float16 (shipped)");
const moved = Math.abs(shipped.tencrop.accuracy - float32.tencrop.accuracy);
if (moved > 0.001) {
  throw new Error(`float16 weights move ${split}'s ten-crop accuracy by ${(100 * moved).toFixed(2)} points (> 0.1)`);
}

const summary = summarizeModel(shippedModel);
const ship: ShipRecord = {
  name,
  dir: `models/${name}`,
  record: recordPath,
  from: relative(Deno.cwd(), join(v.run, "model")),
  note: v.note,
  weights: "float16",
  bytes: 0,
  params: summary.params,
  macs: summary.macs,
  float32,
  shipped,
  createdAt: new Date().toISOString(),
  gitCommit: await gitCommit(),
  machine: machineInfo({ threads: Number(Deno.env.get("FER_THREADS") ?? 2) }),
};
await writeCard(ship, run);
