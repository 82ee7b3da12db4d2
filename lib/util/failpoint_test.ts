import assert from "node:assert/strict";

const mod = new URL("./failpoint.ts", import.meta.url).href;

/** Runs a script that passes `batch` three times (printing before each pass) under `FER_FAILPOINT=value`. */
async function passThree(value: string) {
  const code = `import { failpoint } from "${mod}";
for (let i = 1; i <= 3; i++) { console.log("pass " + i); failpoint("checkpoint-done"); failpoint("batch"); }`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { FER_FAILPOINT: value },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, signal: r.signal, out: dec.decode(r.stdout).trim(), err: dec.decode(r.stderr) };
}

Deno.test("an armed fail point SIGKILLs the process on its n-th pass, and only there", async () => {
  const r = await passThree("batch:2");
  assert.equal(r.signal, "SIGKILL");
  assert.equal(r.out, "pass 1\npass 2");
  const other = await passThree("checkpoint-write:1");
  assert.equal(other.code, 0, "a fail point that is never passed does nothing");
  assert.equal(other.out, "pass 1\npass 2\npass 3");
});

Deno.test("a malformed FER_FAILPOINT is an error naming the variable and the names", async () => {
  const r = await passThree("batch");
  assert.equal(r.code, 1);
  assert.match(r.err, /FER_FAILPOINT must be <name>:<n> with name one of batch, checkpoint-write, .*got "batch"/);
});
