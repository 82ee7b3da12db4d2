/**
 * The shape of lib/'s dependencies, read from Deno's own module graph (`deno info --json`: static,
 * type-only and literal dynamic imports alike): no two lib/ folders import each other, directly or
 * round a longer loop, and no library file imports lib/cli/ (the command files live there, on top).
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

/** The lib/ folder of a path relative to lib/ (`train/loop.ts` → `train`). */
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
});

Deno.test("lib/ folders import one way: no folder cycle, no library import of lib/cli/", async () => {
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
});
