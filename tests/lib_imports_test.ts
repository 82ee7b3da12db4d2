/**
 * The shape of lib/'s dependencies, read from Deno's own module graph (`deno info --json`: static,
 * type-only and literal dynamic imports alike): no two lib/ folders import each other, directly or
 * round a longer loop, and no library file imports lib/cli/ (the command files live there, on top).
 * Notebooks, tools, benchmarks and these tests use a folder's public surface, its mod.ts (BY_PATH's files,
 * each with its reason, excepted).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const LIB = `${ROOT}lib/`;

/** One import of one lib/ file by another, as paths relative to lib/. */
export interface FileEdge {
  from: string;
  to: string;
}

/** Every import between lib/ files, from Deno's module graph of all of them. */
export async function libImports(): Promise<FileEdge[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(`${dir}${e.name}/`);
      else if (e.name.endsWith(".ts")) files.push(`${dir}${e.name}`);
    }
  };
  await walk(LIB);
  const tmp = await Deno.makeTempDir();
  try {
    const root = `${tmp}/all.ts`;
    await Deno.writeTextFile(root, files.map((f) => `import "${pathToFileURL(f).href}";\n`).join(""));
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", `${ROOT}deno.json`, root],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (r.code !== 0) throw new Error(`deno info failed: ${new TextDecoder().decode(r.stderr)}`);
    const graph = JSON.parse(new TextDecoder().decode(r.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
      }[];
    };
    const libUrl = pathToFileURL(LIB).href;
    const edges: FileEdge[] = [];
    for (const m of graph.modules) {
      if (!m.specifier.startsWith(libUrl)) continue;
      for (const d of m.dependencies ?? []) {
        for (const to of new Set([d.code?.specifier, d.type?.specifier])) {
          if (to?.startsWith(libUrl)) {
            edges.push({ from: m.specifier.slice(libUrl.length), to: to.slice(libUrl.length) });
          }
        }
      }
    }
    return edges;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** The lib/ folder of a path relative to lib/ (`engine/loop.ts` → `engine`). */
export function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.indexOf("/")) : ".";
}

/** Folder → folder dependencies, each with one file edge that makes it (for the error message). */
export function folderGraph(edges: FileEdge[]): Map<string, Map<string, FileEdge>> {
  const g = new Map<string, Map<string, FileEdge>>();
  for (const e of edges) {
    const a = folderOf(e.from), b = folderOf(e.to);
    if (a === b) continue;
    if (!g.has(a)) g.set(a, new Map());
    if (!g.get(a)!.has(b)) g.get(a)!.set(b, e);
  }
  return g;
}

/** The folders that depend on each other: each strongly connected group of two or more, sorted. */
export function folderCycles(g: Map<string, Map<string, FileEdge>>): string[][] {
  // Tarjan's strongly connected components.
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [];
  const onStack = new Set<string>(), out: string[][] = [];
  let next = 0;
  const nodes = new Set([...g.keys(), ...[...g.values()].flatMap((m) => [...m.keys()])]);
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Imports of lib/cli/ from files outside it. */
export function cliImports(edges: FileEdge[]): FileEdge[] {
  return edges.filter((e) => folderOf(e.to) === "cli" && folderOf(e.from) !== "cli");
}

/** Describes a cycle with one file edge per folder step, so the message says where to cut it. */
function describeCycle(cycle: string[], g: Map<string, Map<string, FileEdge>>): string {
  const inCycle = new Set(cycle);
  const steps = cycle.flatMap((a) =>
    [...(g.get(a) ?? new Map()).entries()].filter(([b]) => inCycle.has(b)).map(([b, e]) =>
      `${a} → ${b} (${e.from} imports ${e.to})`
    )
  );
  return `${cycle.join(" ⇄ ")}:\n    ${steps.join("\n    ")}`;
}

/**
 * The layers, bottom first: a folder imports only folders of lower layers (so none import each other).
 * cli → grid → report/quickstart/photo → experiment/peers → engine → features/viz → data/model/eval/backend → util.
 * viz draws data and metrics types only (the per-epoch metrics live in eval), so it sits below the engine.
 */
export const LAYERS: Record<string, number> = {
  util: 0,
  data: 1,
  model: 1,
  eval: 1,
  backend: 1,
  features: 2,
  viz: 2,
  engine: 3,
  experiment: 5,
  peers: 5,
  report: 6,
  quickstart: 6,
  photo: 6,
  grid: 7,
  cli: 8,
};

/** Folder imports that do not go down the layers (or involve a folder with no layer). */
export function layerViolations(g: Map<string, Map<string, FileEdge>>): string[] {
  const out: string[] = [];
  for (const [a, m] of g) {
    for (const [b, e] of m) {
      if (!(a in LAYERS) || !(b in LAYERS) || LAYERS[b] >= LAYERS[a]) {
        out.push(`${a} → ${b} (${e.from} imports ${e.to})`);
      }
    }
  }
  return out.sort();
}

Deno.test("the checks find a folder cycle and a library import of lib/cli/ in a made-up graph", () => {
  const edges: FileEdge[] = [
    { from: "a/x.ts", to: "b/y.ts" },
    { from: "b/y.ts", to: "c/z.ts" },
    { from: "c/z.ts", to: "a/w.ts" },
    { from: "d/v.ts", to: "a/x.ts" },
    { from: "d/v.ts", to: "cli/command.ts" },
    { from: "cli/main.ts", to: "d/v.ts" },
    { from: "a/x.ts", to: "a/w.ts" },
  ];
  const g = folderGraph(edges);
  assert.deepEqual(folderCycles(g), [["a", "b", "c"], ["cli", "d"]]);
  assert.match(describeCycle(["a", "b", "c"], g), /c → a \(c\/z\.ts imports a\/w\.ts\)/);
  assert.deepEqual(cliImports(edges), [{ from: "d/v.ts", to: "cli/command.ts" }]);
  assert.deepEqual(folderCycles(folderGraph(edges.filter((e) => e.from !== "c/z.ts" && e.from !== "d/v.ts"))), []);
  assert.deepEqual(layerViolations(folderGraph([{ from: "util/a.ts", to: "data/b.ts" }])), [
    "util → data (util/a.ts imports data/b.ts)",
  ]);
  assert.deepEqual(layerViolations(folderGraph([{ from: "engine/a.ts", to: "data/b.ts" }])), []);
});

Deno.test("lib/ folders import one way: no folder cycle, no library import of lib/cli/, down the layers", async () => {
  const edges = await libImports();
  assert.ok(edges.length > 100, `only ${edges.length} imports between lib/ files: the graph was not read`);
  const g = folderGraph(edges);
  const cycles = folderCycles(g);
  assert.deepEqual(
    cycles,
    [],
    `folders that import each other:\n  ${cycles.map((c) => describeCycle(c, g)).join("\n  ")}`,
  );
  const cli = cliImports(edges);
  assert.deepEqual(cli, [], "library files import lib/cli/ (command files belong in lib/cli/)");
  assert.deepEqual(layerViolations(g), [], "imports against the layer order (or a folder missing from LAYERS)");
});

/** Each file cycle of lib/ (files that import each other, directly or round a longer loop), sorted. */
export function fileCycles(edges: FileEdge[]): string[][] {
  const g = new Map<string, Map<string, FileEdge>>();
  for (const e of edges) {
    if (!g.has(e.from)) g.set(e.from, new Map());
    g.get(e.from)!.set(e.to, e);
  }
  return folderCycles(g);
}

/**
 * The files of each folder that other folders may import directly, as its mod.ts header lists them after
 * "Direct imports from other folders" (paths relative to the folder; "none" lists none).
 */
export async function directImports(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for await (const d of Deno.readDir(LIB)) {
    if (!d.isDirectory) continue;
    const text = await Deno.readTextFile(`${LIB}${d.name}/mod.ts`).catch(() => "");
    const m = /Direct imports from other folders[^:]*:([\s\S]*?)\.\n/.exec(text);
    if (m) out.set(d.name, new Set(m[1].match(/[\w/]+\.ts/g) ?? []));
  }
  return out;
}

/** Imports from another folder into a file other than its mod.ts that the folder's header does not list. */
export function unlistedImports(edges: FileEdge[], listed: Map<string, Set<string>>): string[] {
  return edges.filter((e) => folderOf(e.from) !== folderOf(e.to) && !e.to.endsWith("/mod.ts"))
    .filter((e) => !listed.get(folderOf(e.to))?.has(e.to.slice(folderOf(e.to).length + 1)))
    .map((e) => `${e.from} imports ${e.to}`).sort();
}

Deno.test("no two lib/ files import each other; cross-folder imports reach only the files each mod.ts lists", async () => {
  assert.deepEqual(fileCycles([{ from: "data/a.ts", to: "data/b.ts" }, { from: "data/b.ts", to: "data/a.ts" }]), [[
    "data/a.ts",
    "data/b.ts",
  ]]);
  const listed = new Map([["data", new Set(["load.ts"])]]);
  assert.deepEqual(
    unlistedImports([
      { from: "engine/x.ts", to: "data/load.ts" },
      { from: "engine/x.ts", to: "data/mod.ts" },
      { from: "engine/x.ts", to: "data/image.ts" },
      { from: "data/load.ts", to: "data/image.ts" },
    ], listed),
    ["engine/x.ts imports data/image.ts"],
  );
  const edges = await libImports();
  assert.deepEqual(fileCycles(edges), [], "files that import each other (move the shared part to its own file)");
  const direct = await directImports();
  const folders = [...new Set(edges.map((e) => folderOf(e.from)))].filter((f) => f !== ".");
  assert.deepEqual(
    folders.filter((f) => !direct.has(f)),
    [],
    'mod.ts without a "Direct imports from other folders" list',
  );
  for (const [folder, files] of direct) {
    for (const f of files) {
      assert.ok(
        await Deno.stat(`${LIB}${folder}/${f}`).catch(() => null),
        `lib/${folder}/mod.ts lists ${f}: no such file`,
      );
    }
  }
  assert.deepEqual(
    unlistedImports(edges, direct),
    [],
    "list the file in its folder's mod.ts header, or import the mod.ts",
  );
});

/**
 * Files that import lib/ modules by path: the offline GPU bundle must not pull a mod.ts's native addons,
 * the torch device tests' entry bundles test modules, which no mod.ts exports, and `setup.ts --native` runs
 * under `--no-npm` (the npm install runs beside the shim's compile) while lib/backend's mod.ts loads tfjs.
 */
const BY_PATH = new Set(["tools/gpu_check.ts", "tools/gpu_learn.ts", "tools/torch_device_tests.ts", "tools/setup.ts"]);

/** `../lib/<folder>/<file>.ts` specifiers (file ≠ mod.ts) imported by a source text. */
export function pathImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*\\?"((?:\.\.\/)+lib\/[a-z_]+\/[a-z_/]+\.ts)\\?"/g)) {
    if (!m[1].endsWith("/mod.ts")) out.push(m[1]);
  }
  return out;
}

Deno.test("notebooks, tools, benchmarks and tests import lib/ folders through their mod.ts", async () => {
  assert.deepEqual(pathImports('import { a } from "../lib/data/load.ts";\nimport { b } from "../lib/data/mod.ts";'), [
    "../lib/data/load.ts",
  ]);
  assert.deepEqual(pathImports('"import { x } from \\"../lib/viz/show.ts\\";\\n"'), ["../lib/viz/show.ts"]);
  const offenders: string[] = [];
  for (const dir of ["notebooks", "tools", "bench", "tests"]) {
    for await (const e of Deno.readDir(`${ROOT}${dir}`)) {
      const rel = `${dir}/${e.name}`;
      if (!e.isFile || !/\.(ts|ipynb)$/.test(e.name) || BY_PATH.has(rel) || rel === "tests/lib_imports_test.ts") {
        continue;
      }
      for (const spec of pathImports(await Deno.readTextFile(`${ROOT}${rel}`))) offenders.push(`${rel}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, [], "import the folder's mod.ts instead");
});
