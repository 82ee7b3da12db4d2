import assert from "node:assert/strict";
import { join } from "node:path";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { syntheticDataset } from "../data/synthetic.ts";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { attentionFigure, attentionStudy, findAttentionRun } from "./attention_study.ts";

Deno.test("attentionStudy scores a real (untrained) network's F_m on synthetic faces, per class", async () => {
  await tf.setBackend("cpu");
  const fm = buildModel(preset("cpu-tiny", { inputSize: 48 }));
  const s = await attentionStudy(fm, { n: 14 });
  assert.equal(s.n, 14);
  assert.deepEqual(Object.keys(s.byClass).sort(), ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]);
  // Seeded faces and initial weights on tfjs's cpu backend: the same scores on every machine. Untrained, F_m is
  // about uniform (ratio 1.003); the centred Gaussian gets 2.1 because the features sit near the centre.
  const near = (x: number, want: number) => Math.abs(x - want) < 1e-9;
  const { overall, references } = s;
  assert.ok(near(overall.meanMassInside, 0.0690207749), `mass inside ${overall.meanMassInside}`);
  assert.ok(near(overall.meanAreaFraction, 0.0688244048), `mask area ${overall.meanAreaFraction}`);
  assert.ok(near(overall.meanRatio, 1.0026366509), `ratio ${overall.meanRatio}`);
  assert.equal(overall.shareAboveUniform, 12 / 14);
  assert.ok(near(references.uniform.meanRatio, 1) && near(references.centre.meanRatio, 2.1055931767));
  // One row of the first face of each class at scale 3 (144 px tiles), under the title, above the colour bar.
  assert.deepEqual([s.figure.width, s.figure.height], [6 + 7 * (144 + 6), 24 + 6 + (144 + 16 + 6) + 46]);
  fm.model.dispose();
  const noAtt = buildModel(preset("cpu-tiny", { inputSize: 48, attention: false }));
  await assert.rejects(() => attentionStudy(noAtt, { n: 7 }), /no attention module/);
  noAtt.model.dispose();
});

Deno.test("findAttentionRun picks the newest finished synthetic run that saved a model", async () => {
  const dir = await Deno.makeTempDir();
  const write = async (id: string, createdAt: string, name: string, model: boolean) => {
    await Deno.mkdir(join(dir, id, model ? "model" : ""), { recursive: true });
    await Deno.writeTextFile(
      join(dir, id, "run.json"),
      JSON.stringify({
        id,
        createdAt,
        dataset: { name },
        protocol: { kind: "split", train: "all", val: "holdout:0.2" },
        backend: "cpu",
        status: "done",
        epochs: 1,
        result: { split: "holdout", accuracy: 0.5, macroF1: 0.4 },
      }),
    );
  };
  assert.equal(await findAttentionRun(dir), null);
  await write("a", "2026-11-27T10:00:00Z", "synthetic", true);
  await write("b", "2026-11-27T11:00:00Z", "synthetic", false);
  await write("c", "2026-11-27T12:00:00Z", "ckplus", true);
  assert.equal((await findAttentionRun(dir))?.id, "a");
  const real = await findAttentionRun(dir, { datasets: ["fer2013", "ckplus"] });
  assert.deepEqual([real?.id, real?.dataset.name], ["c", "ckplus"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("attentionFigure: faces above their F_m heatmaps on one scale, with a colour bar", async () => {
  await tf.setBackend("cpu");
  const fm = buildModel(preset("cpu-tiny", { inputSize: 48 }));
  const ds = syntheticDataset({ n: 7, size: 48, seed: 3 });
  const faces = await Promise.all(
    [0, 3].map(async (i) => ({ label: ds.classes[i], image: await ds.load(ds.samples[i]) })),
  );
  const fig = await attentionFigure(fm, faces, { title: "Figure 6" });
  // 2 columns of 144 px tiles; title, 2 rows of tile + label, colour bar strip
  assert.equal(fig.height, 24 + 6 + 2 * (144 + 16 + 6) + 46);
  const img = await loadImage(fig.png);
  const ctx = createCanvas(img.width, img.height).getContext("2d");
  ctx.drawImage(img, 0, 0);
  const coloured = (y: number) => {
    const d = ctx.getImageData(6, y, 144, 144).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) n++;
    }
    return n;
  };
  assert.equal(coloured(30), 0, "the top row is the plain grey face");
  assert.ok(coloured(30 + 166) > 144 * 144 * 0.5, "the bottom row carries the heatmap");
  const small = { ...faces[0], image: await ds.load(ds.samples[0], { size: 32 }) };
  await assert.rejects(() => attentionFigure(fm, [small], { title: "x" }), /face 0: a 32x32 picture, expected 48x48/);
  fm.model.dispose();
});
