import assert from "node:assert/strict";
import { join } from "node:path";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { buildModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { attentionStudy, findAttentionRun } from "./attention_study.ts";

Deno.test("attentionStudy scores a real (untrained) network's F_m on synthetic faces, per class", async () => {
  await tf.setBackend("cpu");
  const fm = buildModel(preset("cpu-tiny", { inputSize: 48 }));
  const s = await attentionStudy(fm, { n: 14 });
  assert.equal(s.n, 14);
  assert.deepEqual(Object.keys(s.byClass).sort(), ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]);
  assert.ok(s.overall.meanMassInside > 0 && s.overall.meanMassInside < 1);
  assert.ok(s.overall.meanAreaFraction > 0.01 && s.overall.meanAreaFraction < 0.5);
  assert.ok(Math.abs(s.references.uniform.meanRatio - 1) < 1e-6);
  assert.ok(s.references.centre.meanRatio > 1); // the features sit near the centre of the face
  assert.ok(s.figure.png.length > 1000 && s.figure.width > 7 * 48);
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
  await Deno.remove(dir, { recursive: true });
});
