import assert from "node:assert/strict";
import { cpuIdentity, hasBf16, hostInfo, TEST_CPU_FLAGS_ENV } from "./host.ts";

Deno.test("hostInfo names the CPU as the OS does, says whether it has bf16 instructions, and reads the load", () => {
  const h = hostInfo();
  const cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  assert.equal(h.cpu, /^model name\s*:\s*(.+)$/m.exec(cpuinfo)![1].trim());
  const flags = /^flags\s*:\s*(.+)$/m.exec(cpuinfo)![1].split(/\s+/);
  assert.equal(h.bf16, flags.includes("avx512_bf16") || flags.includes("amx_bf16"));
  assert.equal(h.cores, navigator.hardwareConcurrency);
  assert.ok(h.load1 >= 0);
});

Deno.test("hasBf16: avx512_bf16 or amx_bf16 among the flags, and nothing else counts", () => {
  assert.equal(hasBf16(["fpu", "avx2", "avx512f", "avx512_bf16"]), true);
  assert.equal(hasBf16(["avx2", "amx_tile", "amx_bf16"]), true);
  assert.equal(hasBf16(["fpu", "avx2", "avx512f", "avx512_vnni", "amx_tile"]), false);
  assert.equal(hasBf16([]), false);
});

Deno.test("the FER_TEST_CPU_FLAGS test hook replaces the flags the OS reports, and keeps the CPU's name", async () => {
  const code = `import { cpuIdentity } from "${new URL("./host.ts", import.meta.url).href}";
    console.log(JSON.stringify(cpuIdentity()));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { [TEST_CPU_FLAGS_ENV]: " fpu  avx2 fma " },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.ok(out.success);
  const faked = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.deepEqual(faked, { cpu: cpuIdentity().cpu, flags: ["fpu", "avx2", "fma"] });
  assert.ok(cpuIdentity().flags.length > 3, "without the hook, the machine's own flags");
});
