/**
 * The torch backend's tests on current PyTorch, beside the rest of the suite's on the default libtorch (Debian's
 * 1.13 in CI): one process holds one libtorch, so a child `deno test` runs lib/backend/torch/ and the torch
 * training and memory tests against build/torch2-venv's torch (made by `deno task setup`), and this test passes
 * when every one of them does. Ignored, naming why, where that venv has no torch (no pip index).
 *
 * @module
 */
import assert from "node:assert/strict";
import { findTorch, TORCH_VENV, torchVenv } from "../lib/backend/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const venv = await torchVenv();
const here = await findTorch();
const same = venv.ok && here?.source === "python3" && here.version === venv.version;
const why = !venv.ok ? venv.reason : same ? `the suite's own torch tests run on torch ${venv.version} already` : "";

/** The torch test modules: lib/backend/torch/**, and lib/engine's torch_*_test.ts (training, memory). */
async function torchTests(): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string, keep: (name: string) => boolean) => {
    for await (const e of Deno.readDir(`${ROOT}${dir}`)) {
      if (e.isDirectory) await walk(`${dir}${e.name}/`, keep);
      else if (keep(e.name)) files.push(`${dir}${e.name}`);
    }
  };
  await walk("lib/backend/torch/", (n) => n.endsWith("_test.ts"));
  await walk("lib/engine/", (n) => /^torch_.*_test\.ts$/.test(n));
  return files.sort();
}

Deno.test({
  name: `torch backend's tests on torch ${venv.version || "2.x"} from ${TORCH_VENV}, in a child process` +
    (why ? `: ignored, ${why}` : ""),
  ignore: why !== "",
  async fn() {
    const files = await torchTests();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check", ...files],
      cwd: ROOT,
      env: { FER_PYTHON: venv.python, FER_THREADS: "1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    // the whole summary line, ignored count included (the CUDA tests without a GPU, CK+48's without the data)
    const summary = log.match(
      /^(ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \| \d+ ignored)?/m,
    );
    const failures = log.split("\n").filter((l) => / \.\.\. FAILED/.test(l)).join("\n");
    assert.ok(summary, `no test summary from the child:\n${log.slice(-3000)}`);
    assert.equal(Number(summary[4]), 0, `on torch ${venv.version}:\n${failures}\n${log.slice(-3000)}`);
    assert.equal(out.code, 0, log.slice(-3000));
    // Every module ran on the venv's torch: the backend's own report names it.
    assert.match(log, new RegExp(`on libtorch ${venv.version.replace(/[.+]/g, "\\$&")} from python3`));
    console.log(`torch ${venv.version}: ${summary[0]} (${files.length} modules)`);
  },
});
