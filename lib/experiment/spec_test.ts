import assert from "node:assert/strict";
import { trainPreset } from "../engine/config.ts";
import { preset } from "../model/presets.ts";
import {
  DATASET_KEYS,
  datasetHere,
  datasetOptions,
  type DatasetSpec,
  mergeSpecs,
  needsUserData,
  parseSpec,
  resolveModel,
} from "./spec.ts";

const good = {
  dataset: { dataset: "ckplus", datasetsPath: "ckplus48", dropContempt: true },
  model: { preset: "cpu-small", inputSize: 32 },
  train: "sgd",
  protocol: { kind: "kfold", k: 5, by: "subject", seed: 3 },
};

Deno.test("a spec resolves to the registry's presets with overrides, the classes from the dataset", () => {
  const { spec, train } = parseSpec(good, "good.json");
  assert.deepEqual(spec.train, { preset: "sgd" }, "the spec as written");
  assert.deepEqual(train, trainPreset("sgd"), "its training resolved");
  assert.deepEqual(resolveModel(spec.model, 6), preset("cpu-small", { inputSize: 32, numClasses: 6 }));
  assert.deepEqual(resolveModel({}, 7), preset("paper"), "no preset: the paper's network");
  assert.deepEqual(parseSpec({ ...good, train: { epochs: 3 } }, "g").train, trainPreset("default", { epochs: 3 }));
  const full = preset("cpu-tiny", { numClasses: 7 });
  assert.deepEqual(resolveModel(full, 7), full, "a full config is a spec that overrides everything");
  assert.throws(() => resolveModel(full, 6), /model has 7 classes, the dataset has 6/);
});

Deno.test("a k-fold protocol without a seed draws its folds with the training's seed", () => {
  const protocol = { kind: "kfold", k: 5, by: "subject" };
  const { spec } = parseSpec({ ...good, train: { preset: "sgd", seed: 9 }, protocol }, "g");
  assert.deepEqual(spec.protocol, { kind: "kfold", k: 5, by: "subject", seed: 9 });
  assert.deepEqual(protocol, { kind: "kfold", k: 5, by: "subject" }, "the input is not changed");
  assert.deepEqual(parseSpec(good, "g").spec.protocol, good.protocol, "a seed given is kept");
});

Deno.test("bad specs are errors naming the place and the field", () => {
  const bad = (patch: Record<string, unknown>) => () => parseSpec({ ...good, ...patch }, "x.json");
  assert.throws(
    bad({ model: "huge" }),
    /x\.json: unknown model preset "huge" \(have paper, .*cpu-tiny, cpu-tiny-gated\)/,
  );
  assert.throws(bad({ train: { preset: "adamw" } }), /x\.json: unknown train preset "adamw"/);
  assert.throws(bad({ model: { preset: "paper", width: 9 } }), /x\.json: model config: width must be/);
  assert.throws(bad({ train: { lr: -1 } }), /x\.json: train config: lr must be > 0/);
  assert.throws(bad({ dataset: { dataset: "mnist" } }), /"dataset\.dataset" must be one of fer2013, ckplus/);
  assert.throws(bad({ dataset: { dataset: "ckplus", rot: "x" } }), /unknown dataset field\(s\) rot/);
  assert.throws(bad({ protocol: { kind: "kfold", k: 1, by: "subject", seed: 1 } }), /k-fold protocol needs k >= 2/);
  assert.throws(bad({ protocol: { kind: "split", train: "Training" } }), /"protocol\.val" must be a split name/);
  const only = (f: unknown) => bad({ protocol: { kind: "kfold", k: 5, by: "subject", seed: 1, only: f } });
  const msg = '"protocol\\.only" must be a non-empty list of fold numbers from 1 to k = 5, got';
  assert.throws(only([6]), new RegExp(`x\\.json: ${msg} \\[6\\]`));
  assert.throws(only([0]), new RegExp(`${msg} \\[0\\]`));
  assert.throws(only(["2"]), new RegExp(`${msg} \\["2"\\]`));
  assert.throws(only([]), new RegExp(`${msg} \\[\\]`));
  assert.throws(only(2), new RegExp(`${msg} 2`));
  assert.equal(only([1, 5])().spec.protocol.kind, "kfold", "folds 1 and k are in range");
  assert.throws(bad({ extra: 1 }), /unknown field\(s\) extra/);
});

Deno.test("datasets come from the user's root, the spec's root, or a folder under the datasets root", () => {
  const d = parseSpec(good, "g").spec.dataset;
  assert.deepEqual(datasetOptions(d, { datasetsRoot: "/data" }), {
    dataset: "ckplus",
    dropContempt: true,
    root: "/data/ckplus48",
  });
  assert.equal(datasetOptions(d, { root: "/mine", datasetsRoot: "/data" }).root, "/mine");
  assert.throws(() => datasetOptions(d, { datasetsRoot: null, where: "t5/x" }), /t5\/x: no datasets folder/);
  const jaffe = { dataset: "jaffe" as const };
  assert.equal(needsUserData(jaffe), true);
  assert.throws(() => datasetOptions(jaffe, { datasetsRoot: "/data" }), /jaffe cannot be redistributed; pass --root/);
  assert.deepEqual(datasetOptions({ dataset: "synthetic", n: 70 }), { dataset: "synthetic", n: 70 });
  Deno.env.set("FER_DATA", "/elsewhere");
  try {
    assert.equal(datasetOptions(d).root, "/elsewhere/ckplus48", "by default, this checkout's datasets root");
    assert.deepEqual(datasetHere(d), datasetOptions(d), "a spec's folder under the datasets root here");
    assert.equal(datasetHere(jaffe), null, "no folder under the datasets root: nothing here");
  } finally {
    Deno.env.delete("FER_DATA");
  }
});

Deno.test("DATASET_KEYS lists exactly the fields of DatasetSpec", () => {
  // the type checker holds both directions: spec.ts's `satisfies` refuses a key DatasetSpec lacks, and this
  // assignment a DatasetSpec field the list lacks (Record<listed keys> is not a Record<every key>)
  const listed: readonly (typeof DATASET_KEYS)[number][] = DATASET_KEYS;
  const all: Record<keyof DatasetSpec, true> = Object.fromEntries(listed.map((k) => [k, true])) as Record<
    (typeof DATASET_KEYS)[number],
    true
  >;
  assert.equal(new Set(listed).size, listed.length, "no key twice");
  assert.deepEqual(Object.keys(all).sort(), [...listed].sort());
});

Deno.test("flags merge over a config file over defaults, field by field; a protocol replaces", () => {
  const merged = mergeSpecs(
    mergeSpecs({ model: "cpu-small", train: "default" }, {
      model: { inputSize: 32 },
      train: "sgd",
      protocol: { kind: "split", train: "all", val: "holdout:0.2" },
    }),
    { model: { preset: "cpu-tiny" }, train: { epochs: 2 }, dataset: { dataset: "synthetic" } },
  );
  assert.deepEqual(merged, {
    model: { preset: "cpu-tiny", inputSize: 32 },
    train: { preset: "sgd", epochs: 2 },
    dataset: { dataset: "synthetic" },
    protocol: { kind: "split", train: "all", val: "holdout:0.2" },
  });
});

Deno.test("outside the engine, only the spec parser makes a TrainConfig: one resolution and check per spec", async () => {
  const lib = new URL("../", import.meta.url).pathname, makers: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${lib}${dir}`)) {
      const path = `${dir}${e.name}`;
      if (e.isDirectory && path !== "engine") await walk(`${path}/`);
      else if (e.isFile && path.endsWith(".ts") && !/_test\.ts$|testing\.ts$/.test(path)) {
        const code = (await Deno.readTextFile(`${lib}${path}`)).split("\n").filter((l) => !/^\s*(\*|\/\/)/.test(l));
        if (code.some((l) => /\b(trainPreset|validateTrainConfig)\(/.test(l))) makers.push(path);
      }
    }
  };
  await walk("");
  assert.deepEqual(makers.sort(), ["experiment/spec.ts"]);
  const src = await Deno.readTextFile(`${lib}experiment/spec.ts`), start = src.indexOf("export function parseSpec(");
  const body = src.slice(start, src.indexOf("\n}\n", start));
  assert.equal(src.split("trainPreset(").length, 2, "spec.ts resolves a training in one place");
  assert.ok(body.includes("trainPreset("), "and that place is parseSpec");
});
