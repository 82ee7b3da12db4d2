import assert from "node:assert/strict";
import { PRECISION_REQUESTS, resolvePrecision, warningOnce } from "./precision.ts";

// Faked flag sets: a Zen 4 / Sapphire Rapids class CPU with bf16 instructions, and an AVX2-only EPYC without.
const WITH = { cpu: "AMD EPYC 9B14", flags: ["fpu", "avx2", "avx512f", "avx512_bf16"] };
const AMX = { cpu: "Intel(R) Xeon(R) Platinum 8480+", flags: ["avx2", "amx_tile", "amx_bf16"] };
const WITHOUT = { cpu: "AMD EPYC 7B12", flags: ["fpu", "avx2", "fma"] };
const cpu = (c: typeof WITH) => ({ cuda: false, cpu: c });

Deno.test("bf16 on a CPU with bf16 instructions runs bf16; without them it runs fp32 with a warning naming the CPU", () => {
  assert.deepEqual(resolvePrecision("bf16", cpu(WITH)), { precision: "bf16" });
  assert.deepEqual(resolvePrecision("bf16", cpu(AMX)), { precision: "bf16" });
  const r = resolvePrecision("bf16", cpu(WITHOUT));
  assert.equal(r.precision, "fp32");
  assert.match(
    r.warning!,
    /^precision bf16: the CPU \(AMD EPYC 7B12\) has no bf16 instructions \(avx512_bf16, amx_bf16\)/,
  );
  assert.match(r.warning!, /emulate bf16, about 18x slower than fp32: running fp32/);
});

Deno.test("auto is bf16 where the CPU has bf16 instructions, else fp32 without a warning; fp32 on CUDA", () => {
  assert.deepEqual(resolvePrecision("auto", cpu(WITH)), { precision: "bf16" });
  assert.deepEqual(resolvePrecision("auto", cpu(AMX)), { precision: "bf16" });
  assert.deepEqual(resolvePrecision("auto", cpu(WITHOUT)), { precision: "fp32" });
  assert.deepEqual(resolvePrecision("auto", { cuda: true, cpu: WITH }), { precision: "fp32" });
});

Deno.test("fp32 and tf32 run as asked on the CPU, and every named precision runs as asked on CUDA, whatever the CPU", () => {
  for (const c of [WITH, WITHOUT]) {
    assert.deepEqual(resolvePrecision("fp32", cpu(c)), { precision: "fp32" });
    assert.deepEqual(resolvePrecision("tf32", cpu(c)), { precision: "tf32" });
    for (const p of ["fp32", "tf32", "bf16"] as const) {
      assert.deepEqual(resolvePrecision(p, { cuda: true, cpu: c }), { precision: p }, `${p} on CUDA, ${c.cpu}`);
    }
  }
  assert.deepEqual(PRECISION_REQUESTS, ["fp32", "tf32", "bf16", "auto"]);
});

Deno.test("the warning is handed on once, however often bf16 is asked for on a CPU without bf16 instructions", () => {
  const warnings: string[] = [];
  const precisionOf = warningOnce((m) => warnings.push(m));
  assert.equal(precisionOf("fp32", cpu(WITHOUT)), "fp32");
  assert.equal(precisionOf("auto", cpu(WITHOUT)), "fp32");
  assert.equal(warnings.length, 0, "fp32 and auto ask for nothing the CPU lacks");
  assert.equal(precisionOf("bf16", cpu(WITHOUT)), "fp32");
  assert.equal(precisionOf("bf16", cpu(WITHOUT)), "fp32");
  assert.equal(precisionOf("bf16", cpu(WITH)), "bf16");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /AMD EPYC 7B12/);
});
