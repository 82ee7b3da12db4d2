import assert from "node:assert/strict";
import { CACHE_VAR, cpuCacheFor, DEFAULT_CACHE_MB } from "./memory.ts";

Deno.test("memory: the CPU cache's limit comes from FER_TORCH_CACHE_MB, else the default", () => {
  assert.deepEqual(cpuCacheFor({}), { limitMb: DEFAULT_CACHE_MB, why: "default" });
  assert.deepEqual(cpuCacheFor({ [CACHE_VAR]: "" }).limitMb, DEFAULT_CACHE_MB);
  assert.deepEqual(cpuCacheFor({ [CACHE_VAR]: "0" }), { limitMb: 0, why: "FER_TORCH_CACHE_MB=0" });
  assert.equal(cpuCacheFor({ [CACHE_VAR]: "256" }).limitMb, 256);
  for (const bad of ["-1", "1.5", "lots", "1e3"]) {
    assert.throws(() => cpuCacheFor({ [CACHE_VAR]: bad }), /FER_TORCH_CACHE_MB=.*: expected a whole number of MiB/);
  }
});

/** A child process that registers torch with `env`, then makes and frees a 4 MiB tensor 20 times: its cache limit,
 * the page faults (minor, from /proc/self/stat) those loops cost, and the bytes the cache holds after. */
async function freshTensors(env: Record<string, string>): Promise<{ limitMb: number; faults: number; kept: number }> {
  const torch = new URL("./register.ts", import.meta.url).href;
  const code = `
    import * as tf from "@tensorflow/tfjs-core";
    const { registerTorchBackend } = await import(${JSON.stringify(torch)});
    const r = await registerTorchBackend({ threads: 1 });
    if (!r.ok) throw new Error(r.reason);
    await tf.setBackend("torch");
    const minflt = () => Number(Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ")[7]);
    const x = tf.ones([1024, 1024]);
    tf.add(x, 1).dispose();
    const before = minflt();
    for (let i = 0; i < 20; i++) tf.add(x, 1).dispose();
    const faults = minflt() - before;
    const kept = tf.backend().lib.cpuCached();
    console.log(JSON.stringify({ limitMb: r.cpuCache.limitMb, faults, kept }));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr).slice(-800));
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

Deno.test("memory: with the CPU cache a freed activation's block is reused and no page of it faults again", async () => {
  if (Deno.build.os !== "linux") return;
  const on = await freshTensors({});
  assert.equal(on.limitMb, DEFAULT_CACHE_MB);
  assert.equal(on.kept, 4 << 20, "the freed 4 MiB block is kept");
  // 20 blocks of 1,024 pages each: fewer faults than one block's pages in all (glibc alone faults from ~50 to all
  // 1,024 pages of each block, depending on its history: not asserted)
  assert.ok(on.faults < 1024, `${on.faults} faults with the cache`);
  const off = await freshTensors({ [CACHE_VAR]: "0" });
  assert.equal(off.limitMb, 0);
  assert.equal(off.kept, 0);
  // a limit below the block keeps nothing
  assert.equal((await freshTensors({ [CACHE_VAR]: "1" })).kept, 0);
});
