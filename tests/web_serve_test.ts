/**
 * `deno task serve` (web/serve.ts) as an untrusted client sees it: it listens on 127.0.0.1, answers GET and HEAD
 * only, serves its fixed list of files (web/'s page, the bundle, tfjs's WASM, the model's folder, BlazeFace) and
 * refuses everything else, path traversal included.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../lib/backend/mod.ts";
import { FER2013_EMOTIONS } from "../lib/data/mod.ts";
import { buildModel, preset, saveModel } from "../lib/model/mod.ts";
import { startServer } from "../web/serve.ts";

Deno.test({
  name: "the page's server: localhost only, GET/HEAD only, its own files only, no path traversal",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "fer-serve-" });
    await selectBackend("cpu", { quiet: true });
    await saveModel({ ...buildModel(preset("cpu-tiny")), labels: [...FER2013_EMOTIONS] }, join(dir, "model"));
    await Deno.writeTextFile(join(dir, "secret.txt"), "not to be served");
    const server = await startServer({ model: join(dir, "model"), port: 0 });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.deepEqual([...server.routes.keys()].filter((p) => !/^\/(wasm|model|detector)\//.test(p)).sort(), [
        "/",
        "/app.js",
        "/index.html",
        "/screenshot.png",
        "/style.css",
      ]);
      const get = async (path: string, init: RequestInit = {}) => {
        const r = await fetch(new URL(path, server.url), init);
        return {
          status: r.status,
          body: await r.text(),
          type: r.headers.get("content-type"),
          allow: r.headers.get("allow"),
        };
      };
      const page = await get("/");
      assert.equal(page.status, 200);
      assert.match(page.body, /<script type="module" src="\/app.js">/);
      assert.equal((await get("/app.js")).type, "text/javascript; charset=utf-8");
      assert.equal((await get("/wasm/tfjs-backend-wasm-simd.wasm")).type, "application/wasm");
      assert.equal((await get("/model/model.json")).status, 200);
      assert.equal((await get("/detector/blazeface.json")).status, 200);
      const head = await fetch(new URL("/model/weights.bin", server.url), { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(
        Number(head.headers.get("content-length")),
        (await Deno.stat(join(dir, "model", "weights.bin"))).size,
      );
      await head.body?.cancel();
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const r = await get("/", { method, body: method === "DELETE" ? undefined : "x" });
        assert.deepEqual([r.status, r.allow], [405, "GET, HEAD"], method);
      }
      for (
        const path of ["/model/../secret.txt", "/%2e%2e/deno.json", "/model/%2E%2E/secret.txt", "/..%2f..%2fdeno.json"]
      ) {
        const r = await get(path);
        assert.ok(r.status === 400 || r.status === 404, `${path}: ${r.status}`);
        assert.doesNotMatch(r.body, /not to be served|"tasks"/, path);
      }
      for (const path of ["/serve.ts", "/app.ts", "/deno.json", "/model/secret.txt", "/upload"]) {
        assert.equal((await get(path)).status, 404, path);
      }
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
