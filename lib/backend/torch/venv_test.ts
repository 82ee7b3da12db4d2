import assert from "node:assert/strict";
import { makeTorchVenv, TORCH_VENV, torchVenv } from "./venv.ts";

Deno.test("a torch venv that cannot be made says why, and keeps the reason for the tests that need it", async () => {
  const root = await Deno.makeTempDir({ prefix: "fer-torch-venv-" });
  try {
    const never = await torchVenv({ root });
    assert.equal(never.ok, false);
    assert.match(never.reason, /build\/torch2-venv has no torch: `deno task setup` installs it there with pip/);
    const told: string[] = [];
    const r = await makeTorchVenv({ root, python: "/nonexistent/python3", onStep: (m) => told.push(m) });
    assert.equal(r.ok, false);
    assert.match(r.reason, /^\/nonexistent\/python3 -m venv build\/torch2-venv failed: .*not runnable/);
    assert.deepEqual(told, [`making ${TORCH_VENV} with /nonexistent/python3 -m venv …`]);
    assert.equal((await torchVenv({ root })).reason, r.reason);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("torchVenv reads torch's version from the venv's files, and wants numpy beside it", async () => {
  const root = await Deno.makeTempDir({ prefix: "fer-torch-venv-" });
  try {
    const site = `${root}/${TORCH_VENV}/lib/python3.11/site-packages`, pkg = `${site}/torch`;
    await Deno.mkdir(pkg, { recursive: true });
    await Deno.writeTextFile(`${pkg}/version.py`, "from typing import Optional\n__version__ = '2.13.0+cpu'\n");
    const without = await torchVenv({ root });
    assert.equal(without.ok, false);
    assert.match(without.reason, /has torch 2\.13\.0\+cpu but no numpy/);
    await Deno.mkdir(`${site}/numpy`);
    await Deno.writeTextFile(`${site}/numpy/__init__.py`, "");
    assert.deepEqual(await torchVenv({ root }), {
      ok: true,
      python: `${root}/${TORCH_VENV}/bin/python`,
      version: "2.13.0+cpu",
      reason: "",
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
