import assert from "node:assert/strict";
import { syntheticDataset, writePack } from "../lib/data/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;

// What tools/gpu_device.sh does on an offline GPU box, on this machine's software Vulkan adapter: the
// bundled check runs from a folder with no node_modules and no deno.json, times steps and learns on a pack.
Deno.test("the bundled gpu-check runs with nothing but deno: speed rows and a training run on a pack", async () => {
  const dir = await Deno.makeTempDir();
  const bundle = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "deno", "-o", `${dir}/gpu-check.js`, `${ROOT}tools/gpu_check.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
  await writePack(syntheticDataset({ n: 56, size: 24, seed: 2 }), { out: `${dir}/tiny.ferpack`, size: 24 });
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-webgpu",
      "--no-config",
      "gpu-check.js",
      "--allow-software",
      "--no-torch",
      ...["--sizes", "16", "--steps", "1", "--batch", "2", "--width", "0.125"],
      ...["--learn", "tiny.ferpack", "--learn-width", "0.125", "--learn-epochs", "2"],
    ],
    cwd: dir,
    env: { FER_PROGRESS: "silent", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(run.stderr);
  assert.equal(run.code, 0, err.slice(-2000));
  const out = JSON.parse(new TextDecoder().decode(run.stdout).trim().split("\n").pop()!);
  assert.equal(out.backend, "webgpu");
  assert.deepEqual(out.results.map((r: { net: string }) => r.net), ["paper", "reference"]);
  for (const r of out.results) assert.ok(r.img_per_s > 0 && Number.isFinite(r.final_loss), JSON.stringify(r));
  // The paper model's weights and batch are seeded: its loss after one step is the same number on the software
  // adapter every time (the reference net takes tfjs-layers' unseeded initialisers, so only its finiteness is).
  const paper = out.results[0];
  assert.ok(
    Math.abs(paper.final_loss - 2.2038324) < 1e-4,
    `the paper model's loss after one step: ${paper.final_loss}`,
  );
  assert.equal(out.learn.length, 1);
  const l = out.learn[0];
  assert.equal(l.dataset, "synthetic");
  assert.equal(l.epochs, 2);
  // Seeded pack, split and weights: 21 faces to train on, 14 for validation kept apart, 2 of the 21 test faces right
  // after two epochs, macro-F1 0.0537.
  assert.deepEqual([l.train_images, l.test_images, l.accuracy], [21, 21, 2 / 21]);
  assert.ok(Math.abs(l.macro_f1 - 0.0537240537) < 1e-9, `macro-F1 ${l.macro_f1}`);
  await Deno.remove(dir, { recursive: true });
});

// The torch half of tools/gpu_device.sh: the bundled torch tests run with nothing but deno from a folder
// with no node_modules and no deno.json, building the shim from FER_ROOT (filtered to two quick tests here).
Deno.test("the bundled torch tests run with nothing but deno and FER_ROOT", async () => {
  const dir = await Deno.makeTempDir();
  const bundle = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--platform", "deno", "-o", `${dir}/torch-tests.js`, `${ROOT}tools/torch_device_tests.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-config", "--filter", "/resolveDevice|on CUDA: auto picks/", "torch-tests.js"],
    cwd: dir,
    env: { FER_ROOT: ROOT.replace(/\/$/, ""), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(run.stdout);
  assert.equal(run.code, 0, out.slice(-2000) + new TextDecoder().decode(run.stderr).slice(-2000));
  assert.match(out, /ok \| 1 passed \| 0 failed \| 1 ignored|ok \| 2 passed \| 0 failed/);
  await Deno.remove(dir, { recursive: true });
});
