import assert from "node:assert/strict";
import { buildNative, nativeLibraryPath, projectRoot } from "./build.ts";

async function tempProject(source: string): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "fer-native-build-" });
  await Deno.mkdir(`${root}/native`);
  await Deno.writeTextFile(`${root}/native/fer_kernels.cc`, source);
  return root;
}

Deno.test("buildNative reports a missing compiler instead of throwing", async () => {
  const root = await tempProject("int x;\n");
  try {
    const r = await buildNative({ root, cxx: "/nonexistent/g++" });
    assert.equal(r.ok, false);
    assert.match(r.reason, /not runnable.*build-essential/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("buildNative reports compiler errors with the compiler's message", async () => {
  const root = await tempProject("this is not C++;\n");
  try {
    const r = await buildNative({ root });
    assert.equal(r.ok, false);
    assert.match(r.reason, /compiling native\/fer_kernels.cc failed/);
    assert.match(r.reason, /error/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("buildNative caches by source hash: a second call reuses the library", async () => {
  const first = await buildNative();
  assert.equal(first.ok, true, first.reason);
  assert.equal(first.path, await nativeLibraryPath(projectRoot()));
  const second = await buildNative();
  assert.deepEqual(second, { ok: true, path: first.path, reason: "cached" });
});
