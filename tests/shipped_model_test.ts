/**
 * The shipped model `models/fer2013/` (issue 25), with no training and no dataset: its folder's size, float16
 * weights that load, a card that is exactly what its two records generate, a ship record whose float32 figures
 * are the run record's own, and `fer predict` with no `--model` using it and saying so.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../lib/backend/mod.ts";
import { syntheticDataset, writeImage } from "../lib/data/mod.ts";
import { lbpFor, predictImages } from "../lib/engine/mod.ts";
import { modelCard, type RunRecord, type ShipRecord } from "../lib/experiment/mod.ts";
import { loadModel, shippedModelDir, summarizeModel } from "../lib/model/mod.ts";
import { fer, lastJson } from "./faults_corpus.ts";

const dir = shippedModelDir("fer2013");
const shipPath = "results/shipped/fer2013.json";
const root = new URL("..", import.meta.url).pathname;
const ship = JSON.parse(await Deno.readTextFile(join(root, shipPath))) as ShipRecord;
const run = JSON.parse(await Deno.readTextFile(join(root, ship.record))) as RunRecord;

Deno.test("the shipped model's folder: its four files, float16 weights, the bytes its record states, at most 20 MB", async () => {
  let bytes = 0;
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile) continue;
    names.push(e.name);
    bytes += (await Deno.stat(join(dir, e.name))).size;
  }
  for (const f of ["model.json", "weights.bin", "fer-config.json", "MODEL_CARD.md"]) assert.ok(names.includes(f), f);
  assert.equal(bytes, ship.bytes, "the folder's bytes are the ship record's");
  assert.ok(bytes <= 20e6, `${bytes} bytes`);
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "model.json"))).weightsManifest;
  const dtypes = new Set(
    manifest.flatMap((g: { weights: { quantization?: { dtype: string } }[] }) =>
      g.weights.map((w) => w.quantization?.dtype ?? "float32")
    ),
  );
  assert.deepEqual([...dtypes], [ship.weights], "every weight is stored as the record says");
});

Deno.test("the shipped model's card is what its run record and ship record generate, and the records agree", async () => {
  const card = await Deno.readTextFile(join(dir, "MODEL_CARD.md"));
  assert.equal(card, modelCard({ run, runPath: ship.record, ship, shipPath }));
  assert.equal(ship.float32.tencrop.accuracy, run.result!.accuracy, "float32 ten-crop = the run's final evaluation");
  assert.equal(ship.float32.tencrop.macroF1, run.result!.macroF1);
  assert.equal(ship.float32.single.accuracy, run.accuracyWithoutTta![0], "float32 single view = the run's");
  const moved = Math.abs(ship.shipped.tencrop.accuracy - ship.float32.tencrop.accuracy);
  assert.ok(moved <= 0.001, `float16 moved ten-crop accuracy by ${moved}`);
  assert.deepEqual(ship.shipped.tencrop.confusion.flat().reduce((a, b) => a + b), run.sizes!.val);
  assert.match(card, new RegExp(`\\| float16 \\(shipped\\) \\| ${(100 * ship.shipped.tencrop.accuracy).toFixed(2)}%`));
});

Deno.test("the shipped model loads (float16 widened), has its record's network, and gives 7 probabilities", async () => {
  await selectBackend("cpu", { quiet: true });
  const fm = await loadModel(dir);
  try {
    assert.deepEqual(fm.config, { ...run.config.model });
    assert.deepEqual(fm.labels, ship.shipped.tencrop.labels);
    assert.equal(fm.tta, run.config.train.tta, "predict's default views are those of the run's final evaluation");
    const s = summarizeModel(fm);
    assert.deepEqual([s.params, s.macs], [ship.params, ship.macs]);
    const face = syntheticDataset({ n: 7, seed: 3 });
    const img = await face.load(face.samples[3]);
    const p = await predictImages(fm, [img], { lbp: lbpFor(fm.config) });
    assert.equal(p.length, 7);
    assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-4, `${p}`);
  } finally {
    fm.model.dispose();
    tf.disposeVariables();
  }
});

Deno.test("fer predict with no --model uses the shipped model fer2013 and says so on stderr", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "fer-shipped-" });
  try {
    const ds = syntheticDataset({ n: 7, seed: 3 });
    await writeImage(join(tmp, "face.png"), await ds.load(ds.samples[3]));
    const r = await fer(["predict", join(tmp, "face.png"), "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /no --model given: the shipped model fer2013/);
    const [row] = lastJson<
      { detected: boolean; faces: { model: string; label: string; probabilities: Record<string, number> }[] }[]
    >(r);
    assert.equal(row.detected, false, "a 48×48 face crop is classified whole");
    assert.equal(row.faces.length, 1);
    const [f] = row.faces;
    assert.equal(f.model, "fer2013");
    assert.ok(ship.shipped.tencrop.labels.includes(f.label), f.label);
    const probs = Object.values(f.probabilities) as number[];
    assert.equal(probs.length, 7);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b) - 1) < 1e-4);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
