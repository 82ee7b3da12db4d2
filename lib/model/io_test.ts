import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { join } from "node:path";
import { buildModel } from "./build.ts";
import { loadModel, MODEL_FILES, saveModel } from "./io.ts";
import { preset, PRESETS } from "./presets.ts";
import { fromFloat16, toFloat16 } from "./float16.ts";
import { adamSteps, randomBatch, TINY } from "./testing.ts";

await tf.setBackend("cpu");

const LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

for (const name of Object.keys(PRESETS)) {
  Deno.test(`${name}: trained step → save → load gives identical predictions and attention maps`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "fer-model-" });
    try {
      const fm = buildModel(preset(name, TINY));
      const batch = randomBatch(fm.config, 4, 9);
      adamSteps(fm, batch, { steps: 1 }); // moves weights and BatchNorm statistics off their initial values
      await saveModel({ ...fm, labels: LABELS, tta: "flip" }, dir);
      const loaded = await loadModel(dir);
      assert.deepEqual(loaded.config, fm.config);
      assert.deepEqual(loaded.labels, LABELS);
      assert.equal(loaded.tta, "flip");
      assert.deepEqual(loaded.model.layers.map((l) => l.name), fm.model.layers.map((l) => l.name));
      const a = (fm.model.predict(batch.xs) as tf.Tensor).dataSync();
      const b = (loaded.model.predict(batch.xs) as tf.Tensor).dataSync();
      assert.deepEqual(Array.from(b), Array.from(a));
      assert.equal(loaded.attention === null, fm.attention === null);
      if (fm.attention) {
        const ma = (fm.attention.predict(batch.xs) as tf.Tensor).dataSync();
        const mb = (loaded.attention!.predict(batch.xs) as tf.Tensor).dataSync();
        assert.deepEqual(Array.from(mb), Array.from(ma));
      }
      fm.model.dispose();
      loaded.model.dispose();
      tf.dispose([...batch.xs, batch.ys]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a model saved in float16 is half the bytes and loads with every weight its float16 rounding", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-model-" }), full = `${dir}/fp32`, half = `${dir}/fp16`;
  try {
    const fm = buildModel(preset("cpu-tiny-gated", TINY));
    const batch = randomBatch(fm.config, 4, 9);
    adamSteps(fm, batch, { steps: 1 });
    await saveModel({ ...fm, labels: LABELS }, full);
    await saveModel({ ...fm, labels: LABELS }, half, { weights: "float16" });
    const size = async (d: string) => (await Deno.stat(join(d, MODEL_FILES.weights))).size;
    assert.equal(await size(half), (await size(full)) / 2);
    const manifest = JSON.parse(await Deno.readTextFile(join(half, MODEL_FILES.topology))).weightsManifest[0].weights;
    assert.ok(manifest.every((w: tf.io.WeightsManifestEntry) => w.quantization?.dtype === "float16"));
    const loaded = await loadModel(half);
    const want = fm.model.getWeights(), got = loaded.model.getWeights();
    for (let i = 0; i < want.length; i++) {
      const rounded = fromFloat16(toFloat16(want[i].dataSync() as Float32Array));
      assert.deepEqual(Array.from(got[i].dataSync()), Array.from(rounded), `weight ${i}`);
    }
    const a = (fm.model.predict(batch.xs) as tf.Tensor).dataSync();
    const b = (loaded.model.predict(batch.xs) as tf.Tensor).dataSync();
    assert.ok(a.every((x, i) => Math.abs(x - b[i]) < 5e-3), "probabilities move by rounding only");
    const bytes = await Deno.readFile(join(half, MODEL_FILES.weights));
    await Deno.writeFile(join(half, MODEL_FILES.weights), bytes.subarray(2));
    await assert.rejects(() => loadModel(half), /expected \d+ bytes of weights for model\.json, found \d+/);
    fm.model.dispose();
    loaded.model.dispose();
    tf.dispose([...batch.xs, batch.ys]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadModel names the file and the problem for missing, corrupt or mismatched saves", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-model-" });
  try {
    await assert.rejects(loadModel(join(dir, "nope")), /nope\/fer-config\.json: not found/);
    const fm = buildModel(preset("table1-no-lbp", TINY));
    await saveModel(fm, dir);
    const cfgPath = join(dir, MODEL_FILES.config);
    const good = await Deno.readTextFile(cfgPath);

    await Deno.writeTextFile(cfgPath, "{not json");
    await assert.rejects(loadModel(dir), /fer-config\.json: not valid JSON/);

    const wrong = JSON.parse(good);
    wrong.config.lbp = "circle";
    await Deno.writeTextFile(cfgPath, JSON.stringify(wrong));
    await assert.rejects(loadModel(dir), /does not match fer-config\.json \(2 inputs/);

    wrong.config.lbp = "sobel";
    await Deno.writeTextFile(cfgPath, JSON.stringify(wrong));
    await assert.rejects(loadModel(dir), /fer-config\.json: model config: lbp must be one of/);

    await Deno.writeTextFile(cfgPath, JSON.stringify({ ...JSON.parse(good), labels: ["a", "b"] }));
    await assert.rejects(loadModel(dir), /2 labels for numClasses 7/);

    await Deno.writeTextFile(cfgPath, JSON.stringify({ ...JSON.parse(good), tta: "twelve-crop" }));
    await assert.rejects(loadModel(dir), /fer-config\.json: tta must be one of none, flip, tencrop, got "twelve-crop"/);
    await Deno.writeTextFile(cfgPath, JSON.stringify({ ...JSON.parse(good), tta: "tencrop" }));
    assert.equal((await loadModel(dir)).tta, "tencrop", "the model's own test-time augmentation");

    await Deno.writeTextFile(cfgPath, good);
    const weights = await Deno.readFile(join(dir, MODEL_FILES.weights));
    await Deno.writeFile(join(dir, MODEL_FILES.weights), weights.slice(0, 100));
    await assert.rejects(loadModel(dir), /weights\.bin: expected \d+ bytes of weights for model\.json, found 100/);
    fm.model.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadModel refuses a model.json that reads outside its folder, is no layers model, or names unknown layers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-model-" });
  try {
    const fm = buildModel(preset("table1-no-lbp", TINY));
    await saveModel(fm, dir);
    fm.model.dispose();
    const jsonPath = join(dir, MODEL_FILES.topology);
    const good = JSON.parse(await Deno.readTextFile(jsonPath));
    // A file outside the folder that would be read if the path were joined as given (its size even matches).
    const outside = join(dir, "..", `${dir.split("/").at(-1)}-outside.bin`);
    await Deno.copyFile(join(dir, MODEL_FILES.weights), outside);
    const withPaths = (paths: string[]) => ({ ...good, weightsManifest: [{ ...good.weightsManifest[0], paths }] });
    try {
      for (const p of [`../${outside.split("/").at(-1)}`, outside, "sub/../../x.bin"]) {
        await Deno.writeTextFile(jsonPath, JSON.stringify(withPaths([p])));
        await assert.rejects(
          loadModel(dir),
          (e: Error) =>
            e.message.includes(`weights path "${p}" leaves the model folder`) && e.message.includes(jsonPath),
        );
      }
    } finally {
      await Deno.remove(outside);
    }
    await Deno.writeTextFile(jsonPath, JSON.stringify({ ...good, format: "graph-model" }));
    await assert.rejects(loadModel(dir), /model\.json: not a tfjs layers model \(format "graph-model"/);
    await Deno.writeTextFile(jsonPath, JSON.stringify({ ...good, modelTopology: { node: [] } }));
    await assert.rejects(loadModel(dir), /not a tfjs layers model/);
    const evil = structuredClone(good);
    evil.modelTopology.config.layers[1].class_name = "Lambda";
    await Deno.writeTextFile(jsonPath, JSON.stringify(evil));
    await assert.rejects(loadModel(dir), /model\.json: layer class "Lambda" is not a layer this toolkit registers/);
    await Deno.writeTextFile(jsonPath, JSON.stringify(good));
    (await loadModel(dir)).model.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
