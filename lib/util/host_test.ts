import assert from "node:assert/strict";
import { hostInfo } from "./host.ts";

Deno.test("hostInfo names the CPU as the OS does, says whether it has bf16 instructions, and reads the load", () => {
  const h = hostInfo();
  const cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  assert.equal(h.cpu, /^model name\s*:\s*(.+)$/m.exec(cpuinfo)![1].trim());
  const flags = /^flags\s*:\s*(.+)$/m.exec(cpuinfo)![1].split(/\s+/);
  assert.equal(h.bf16, flags.includes("avx512_bf16") || flags.includes("amx_bf16"));
  assert.equal(h.cores, navigator.hardwareConcurrency);
  assert.ok(h.load1 >= 0);
});
