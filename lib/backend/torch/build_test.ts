import assert from "node:assert/strict";
import { buildTorchShim, compileArgs, findTorch } from "./build.ts";

Deno.test("findTorch tries FER_TORCH, then python3's torch, then Debian's libtorch-dev, and says why it skipped each", async () => {
  const skipped: string[] = [];
  const t = await findTorch({ FER_TORCH: "/nonexistent/libtorch", FER_PYTHON: "/nonexistent/python3" }, skipped);
  assert.equal(t?.source, "debian");
  assert.match(t!.version, /^\d+\.\d+/);
  assert.equal(t!.cxxStd, 17); // its TorchConfig.cmake asks for C++14; the shim is C++17
  assert.ok(compileArgs(t!).includes("-std=c++17"));
  assert.match(skipped[0], /FER_TORCH=\/nonexistent\/libtorch: .*ATen\.h not found/);
  assert.match(skipped[1], /\/nonexistent\/python3 not runnable/);
});

// Python's torch package folder has the libtorch layout (include/ and lib/): Debian's python3-torch, which
// `deno task setup` installs for the tests, serves as a FER_TORCH folder.
const pythonTorch = await new Deno.Command("/usr/bin/python3", {
  args: ["-c", "import torch, os; print(os.path.dirname(torch.__file__))"],
  stdout: "piped",
  stderr: "null",
}).output().then((p) => p.code === 0 ? new TextDecoder().decode(p.stdout).trim() : null).catch(() => null);

Deno.test({
  name: "findTorch takes a FER_TORCH folder (the libtorch layout) and reads its C++ ABI from libc10.so" +
    (pythonTorch ? "" : " (ignored: /usr/bin/python3 has no torch to use as a FER_TORCH folder)"),
  ignore: pythonTorch === null,
  fn: async () => {
    const dir = pythonTorch!;
    const t = await findTorch({ FER_TORCH: dir });
    assert.equal(t?.source, "FER_TORCH");
    assert.equal(t?.cxx11Abi, 1); // Debian builds with the C++11 ABI
    assert.ok(compileArgs(t!).includes(`-Wl,-rpath,${dir}/lib`));
  },
});

Deno.test("buildTorchShim caches by source and libtorch: a second call reuses the library and names what it found", async () => {
  const first = await buildTorchShim();
  assert.equal(first.ok, true, first.reason);
  const told: string[] = [];
  const second = await buildTorchShim({ onCompile: (m) => told.push(m) });
  assert.equal(second.path, first.path);
  assert.deepEqual(told, []); // nothing compiled, nothing announced
  assert.match(second.reason, /^libtorch \S+ from (FER_TORCH|python3|debian).*: cached$/);
});

Deno.test("buildTorchShim reports a broken source with the compiler's message", async () => {
  const root = await Deno.makeTempDir({ prefix: "fer-torch-build-" });
  try {
    await Deno.mkdir(`${root}/native`);
    await Deno.writeTextFile(`${root}/native/torch_shim.cc`, "this is not C++;\n");
    const told: string[] = [];
    const r = await buildTorchShim({ root, onCompile: (m) => told.push(m) });
    assert.equal(told.length, 1);
    assert.match(told[0], /^compiling .*torch_shim\.cc against libtorch \S+ \(once per source and libtorch\) …$/);
    assert.equal(r.ok, false);
    assert.match(r.reason, /compiling .*torch_shim\.cc against libtorch .* failed/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
