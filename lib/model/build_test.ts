import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { buildModel, LBP_INPUT, MASK_LAYER, RAW_INPUT } from "./build.ts";
import { featureGridSize, scaledChannels } from "./config.ts";
import { preset, PRESETS } from "./presets.ts";
import { adamSteps, randomBatch, TINY } from "./testing.ts";

await tf.setBackend("cpu");

const layerNames = (name: string, o = {}) => {
  const fm = buildModel(preset(name, { ...TINY, ...o }));
  const names = fm.model.layers.map((l) => l.name);
  fm.model.dispose();
  return new Set(names);
};
const minus = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x)).sort();

Deno.test("tfjs-layers and our tfjs-core share one engine and backend", () => {
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
  const y = m.predict(tf.ones([1, 3])) as tf.Tensor;
  assert.ok(y instanceof tf.Tensor, "a tensor made by tfjs-layers is not a tf.Tensor of our tfjs-core");
  assert.equal(tf.getBackend(), "cpu");
  m.dispose();
});

Deno.test("every preset builds with the documented input and output shapes at 16 and 40 pixels", () => {
  for (const name of Object.keys(PRESETS)) {
    for (const inputSize of [16, 40]) {
      const fm = buildModel(preset(name, { ...TINY, inputSize }));
      const cfg = fm.config;
      const nIn = cfg.lbp === "none" ? 1 : 2;
      assert.equal(fm.model.inputs.length, nIn, name);
      assert.deepEqual(fm.model.inputs.map((t) => t.name.split("/")[0] + "/" + t.name.split("/")[1]).length, nIn);
      for (const t of fm.model.inputs) assert.deepEqual(t.shape, [null, inputSize, inputSize, 1], name);
      assert.deepEqual(fm.model.outputs[0].shape, [null, cfg.numClasses], name);
      const batch = randomBatch(cfg, 3, 1);
      const probs = fm.model.predict(batch.xs) as tf.Tensor;
      assert.deepEqual(probs.shape, [3, cfg.numClasses]);
      const sums = tf.sum(probs, 1).dataSync();
      for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-5, `${name}: softmax row sums to ${s}`);
      const g = featureGridSize(inputSize);
      if (cfg.attention) {
        assert.deepEqual(fm.attention!.outputs[0].shape, [null, g, g, scaledChannels(64, cfg.width)], name);
      } else {
        assert.equal(fm.attention, null, name);
      }
      tf.dispose([probs, ...batch.xs, batch.ys]);
      fm.model.dispose();
    }
  }
});

Deno.test("inputs are named input/raw and input/lbp, in that order", () => {
  const fm = buildModel(preset("table1-uniform-lbp", TINY));
  assert.deepEqual(fm.model.inputLayers.map((l) => l.name), [RAW_INPUT, LBP_INPUT]);
  fm.model.dispose();
});

Deno.test("attention mask F_m lies strictly inside (0, 1) and is not constant", () => {
  // At 1/32 width a 2-channel ReLU map can be all zero (mask exactly 0.5); 1/8 width avoids that.
  const fm = buildModel(preset("paper", { ...TINY, width: 1 / 8 }));
  const batch = randomBatch(fm.config, 4, 3);
  const fmask = fm.attention!.predict(batch.xs) as tf.Tensor;
  const [min, max] = [tf.min(fmask).dataSync()[0], tf.max(fmask).dataSync()[0]];
  assert.ok(min > 0 && max < 1, `F_m range [${min}, ${max}]`);
  assert.ok(max - min > 1e-3, `F_m is constant (${min}..${max})`);
  // The mask model shares its weights with the classifier: it is the output of the classifier's layer.
  assert.equal(fm.attention!.outputs[0], fm.model.getLayer(MASK_LAYER).output);
  fm.model.dispose();
});

Deno.test("disabling a module removes exactly its layers", () => {
  const full = layerNames("table2-complete");
  // Attention: every att/ layer goes, nothing else changes.
  const noAtt = layerNames("table2-no-attention");
  assert.deepEqual(minus(full, noAtt), [...full].filter((n) => n.startsWith("att/")).sort());
  assert.deepEqual(minus(noAtt, full), []);
  // Reconstruction: every rec/ layer goes.
  const noRec = layerNames("table2-no-reconstruction");
  assert.deepEqual(minus(full, noRec), [...full].filter((n) => n.startsWith("rec/")).sort());
  assert.deepEqual(minus(noRec, full), []);
  // LBP: the LBP input and stream, the fusion and the mask branch's LBP concat go.
  const noLbp = layerNames("table1-no-lbp");
  const lbpLayers = [...full].filter((n) => n.startsWith("lbp/") || n.startsWith("fuse/") || n.includes("lbp"));
  assert.deepEqual(minus(full, noLbp), lbpLayers.sort());
  assert.equal(lbpLayers.length, 1 + 42 + 1 + 1, "input, 14 conv-BN-ReLU + 3 pools, fuse/add, mask concat");
  assert.deepEqual(minus(noLbp, full), []);
  // Feature extraction: the VGG convs and pools of both streams go; an 8×8 pooling replaces each.
  const noFe = layerNames("table2-no-feature-extraction");
  const vgg = [...full].filter((n) => /^(raw|lbp)\/(conv\d_\d|pool\d)/.test(n));
  assert.equal(vgg.length, 2 * (10 * 3 + 3), "10 conv-BN-ReLU and 3 pools per stream");
  assert.deepEqual(minus(full, noFe), vgg.sort());
  assert.deepEqual(minus(noFe, full), ["lbp/downsample", "raw/downsample"]);
  // Dilations change no layer names, only their configs.
  assert.deepEqual(minus(layerNames("table3-A"), full), []);
});

Deno.test("the atrous layers carry the configured dilations", () => {
  const fm = buildModel(preset("table3-E", TINY));
  const d = [1, 2, 3, 4].map((i) => fm.model.getLayer(`rec/atrous${i}`).getConfig().dilation);
  assert.deepEqual(d, [2, 3, 4, 5]);
  fm.model.dispose();
  const c = buildModel(preset("paper", { ...TINY, dilations: [1, 6] }));
  assert.deepEqual([1, 2].map((i) => c.model.getLayer(`rec/atrous${i}`).getConfig().dilation), [1, 6]);
  assert.throws(() => c.model.getLayer("rec/atrous3"));
  c.model.dispose();
});

Deno.test("the same config and seed give the same weights; another seed different ones", () => {
  const predict = (seed: number) => {
    const fm = buildModel(preset("cpu-tiny", { ...TINY, seed }));
    const batch = randomBatch(fm.config, 2, 5);
    const out = Array.from((fm.model.predict(batch.xs) as tf.Tensor).dataSync());
    fm.model.dispose();
    return out;
  };
  assert.deepEqual(predict(3), predict(3));
  assert.notDeepEqual(predict(3), predict(4));
});

for (const name of Object.keys(PRESETS)) {
  Deno.test(`${name}: Adam steps on a tiny batch reduce the loss and gradients reach both streams`, () => {
    const fm = buildModel(preset(name, TINY));
    const batch = randomBatch(fm.config, 4, 2);
    // gates that start nearly closed (maskBias < 0) pass a twentieth of the signal at first: they need more steps
    const steps = fm.config.maskBias < 0 ? 8 : 3;
    const { losses, firstGrads } = adamSteps(fm, batch, { steps, learningRate: 0.02 });
    assert.ok(losses.every(Number.isFinite), `${name}: losses ${losses}`);
    assert.ok(
      losses[losses.length - 1] < 0.9 * losses[0],
      `${name}: loss did not fall: ${losses.map((l) => l.toFixed(3))}`,
    );
    const first = fm.config.featureExtraction ? "conv1_1" : "reduce1";
    const streams = fm.config.lbp === "none" ? ["raw"] : ["raw", "lbp"];
    for (const s of streams) {
      const g = firstGrads.get(`${s}/${first}/kernel`);
      assert.ok(g !== undefined && g > 0, `${name}: no gradient at ${s}/${first}/kernel (${g})`);
    }
    if (fm.config.reconstruction) assert.ok(firstGrads.get("rec/atrous4/kernel")! > 0, `${name}: no atrous gradient`);
    if (fm.config.attention) assert.ok(firstGrads.get(`${MASK_LAYER}/kernel`)! > 0, `${name}: no mask gradient`);
    tf.dispose([...batch.xs, batch.ys]);
    fm.model.dispose();
  });
}

Deno.test("options: residual attention, mask on F2 only, global-average head, BatchNorm momentum, no skip, mask bias", () => {
  const base = { ...TINY, width: 1 / 8 };
  const c = scaledChannels(64, base.width);
  const product = buildModel(preset("paper", base));
  const residual = buildModel(preset("paper", { ...base, attentionMode: "residual" }));
  assert.ok(residual.model.layers.some((l) => l.name === "att/refine_residual"));
  assert.ok(!product.model.layers.some((l) => l.name === "att/refine_residual"));
  const batch = randomBatch(product.config, 2, 4);
  const p1 = (product.model.predict(batch.xs) as tf.Tensor).dataSync();
  const p2 = (residual.model.predict(batch.xs) as tf.Tensor).dataSync();
  assert.notDeepEqual(Array.from(p1), Array.from(p2), "F_p⊗(1+F_m) must differ from F_p⊗F_m");
  assert.equal(product.model.getLayer("att/mask/conv1").getWeights()[0].shape[2], 2 * c, "mask reads concat(F3, F2)");

  const lbpOnly = buildModel(preset("paper", { ...base, maskInput: "lbp" }));
  assert.ok(!lbpOnly.model.layers.some((l) => l.name === "att/mask/concat_lbp"));
  assert.equal(lbpOnly.model.getLayer("att/mask/conv1").getWeights()[0].shape[2], c, "mask reads F2");

  const gap = buildModel(preset("paper", { ...base, head: "gap", bnMomentum: 0.8 }));
  assert.ok(gap.model.layers.some((l) => l.name === "cls/gap"));
  assert.deepEqual(gap.model.getLayer("cls/fc1").getWeights()[0].shape, [c, 16]);
  const momenta = new Set(
    gap.model.layers.filter((l) => l.getClassName() === "BatchNormalization").map((l) => l.getConfig().momentum),
  );
  assert.deepEqual([...momenta], [0.8]);
  const gated = buildModel(preset("paper", { ...base, attentionSkip: false, maskBias: -3 }));
  assert.ok(product.model.layers.some((l) => l.name === "att/skip"));
  assert.ok(!gated.model.layers.some((l) => l.name === "att/skip"), "A = F_refine alone");
  assert.deepEqual(Array.from(gated.model.getLayer(MASK_LAYER).getWeights()[1].dataSync()), new Array(c).fill(-3));
  assert.deepEqual(Array.from(product.model.getLayer(MASK_LAYER).getWeights()[1].dataSync()), new Array(c).fill(0));
  for (const fm of [product, residual, lbpOnly, gap, gated]) fm.model.dispose();
  tf.dispose([...batch.xs, batch.ys]);
});
