/**
 * `deno task serve`: the page of web/ on localhost. It serves a fixed list of files and nothing else: web/'s
 * page files, the bundle of web/app.ts (built at start with `deno bundle`), tfjs's WASM binaries, the FER model's
 * folder (model.json, the weight files it lists, fer-config.json) and BlazeFace's files from @vladmandic/human.
 * GET and HEAD only; no upload endpoint (pictures stay in the browser); paths with `..` are refused.
 *
 * @example
 * ```sh
 * deno task serve   # the shipped model fer2013 (or --model DIR); then open http://127.0.0.1:8000/
 * ```
 * @module
 */
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkModelJson, MODEL_FILES, modelDir } from "../lib/model/mod.ts";
import { detectorModelPath } from "../lib/photo/mod.ts";
import { packageDir } from "../lib/peers/mod.ts";
import { scriptArgs } from "../tools/args.ts";

const WEB = fileURLToPath(new URL("./", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".bin": "application/octet-stream",
};

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** The FER model's folder. */
  model: string;
  /** Default 127.0.0.1 (this machine only). */
  hostname?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
}

/** A running server: its address, the files it serves by URL path, and how to stop it. */
export interface PageServer {
  url: string;
  routes: Map<string, string>;
  close(): Promise<void>;
}

/** The URL path → file map the server answers from. */
export async function pageRoutes(model: string, bundle: string): Promise<Map<string, string>> {
  const routes = new Map<string, string>();
  for await (const e of Deno.readDir(WEB)) {
    if (e.isFile && [".html", ".css", ".png"].includes(extname(e.name))) routes.set(`/${e.name}`, join(WEB, e.name));
  }
  routes.set("/", join(WEB, "index.html"));
  routes.set("/app.js", bundle);
  const wasm = join(packageDir("@tensorflow/tfjs-backend-wasm", "4.22.0"), "dist");
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
    routes.set(`/wasm/${f}`, join(wasm, f));
  }
  const modelJson = join(model, MODEL_FILES.topology);
  const json = JSON.parse(await Deno.readTextFile(modelJson));
  checkModelJson(json, modelJson);
  routes.set("/model/model.json", modelJson);
  routes.set("/model/fer-config.json", join(model, MODEL_FILES.config));
  for (const p of json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths)) {
    routes.set(`/model/${p}`, join(model, p));
  }
  const detector = detectorModelPath();
  routes.set("/detector/blazeface.json", detector);
  const dj = JSON.parse(await Deno.readTextFile(detector));
  for (const p of dj.weightsManifest.flatMap((g: { paths: string[] }) => g.paths)) {
    routes.set(`/detector/${p}`, join(dirname(detector), p));
  }
  return routes;
}

/** Bundles web/app.ts for the browser into `outDir`/app.js. */
export async function bundlePage(outDir: string): Promise<string> {
  const out = join(outDir, "app.js");
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--config",
      join(WEB, "..", "deno.json"),
      "-o",
      out,
      join(WEB, "app.ts"),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) throw new Error(`deno bundle web/app.ts failed: ${new TextDecoder().decode(r.stderr)}`);
  return out;
}

/** The answer to one request, from the route map only. */
export async function answer(req: Request, routes: Map<string, string>): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response(`method ${req.method} not allowed: this server only serves files (GET, HEAD)\n`, {
      status: 405,
      headers: { allow: "GET, HEAD" },
    });
  }
  const raw = new URL(req.url).pathname;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return new Response("bad path encoding\n", { status: 400 });
  }
  if (path.split("/").includes("..") || path.includes("\\") || path.includes("\0")) {
    return new Response(`path ${raw} refused: it leaves the served folders\n`, { status: 400 });
  }
  const file = routes.get(path);
  if (!file) return new Response(`${path}: not served here\n`, { status: 404 });
  const body = await Deno.readFile(file);
  const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" };
  return new Response(req.method === "HEAD" ? null : body, {
    headers: { ...headers, "content-length": `${body.length}` },
  });
}

/** Bundles the page and serves it; see {@link ServeOptions}. */
export async function startServer(opts: ServeOptions): Promise<PageServer> {
  const tmp = await Deno.makeTempDir({ prefix: "fer-web-" });
  const routes = await pageRoutes(opts.model, await bundlePage(tmp));
  const hostname = opts.hostname ?? "127.0.0.1";
  const server = Deno.serve({ hostname, port: opts.port ?? 8000, onListen: () => {} }, (req) => answer(req, routes));
  const { port } = server.addr as Deno.NetAddr;
  return {
    url: `http://${hostname}:${port}/`,
    routes,
    async close() {
      await server.shutdown();
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

if (import.meta.main) {
  const command = "deno task serve";
  const { values: v } = scriptArgs(Deno.args, {
    command,
    summary: "Serves the page of web/ with a FER model on localhost (GET and HEAD of a fixed list of files only).",
    options: {
      model: { type: "string", help: "the model folder or shipped model name (default fer2013)" },
      port: {
        type: "number",
        default: 8000,
        min: 0,
        max: 65535,
        integer: true,
        help: "the TCP port (0: any free one)",
      },
      hostname: { type: "string", help: "the address to listen on (default 127.0.0.1)" },
    },
  });
  const port = v.port;
  const model = modelDir(v.model ?? "fer2013");
  const s = await startServer({ model, port, hostname: v.hostname });
  console.log(`serving web/ with the model ${model} at ${s.url} (Ctrl-C stops)`);
}
