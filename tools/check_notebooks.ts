/**
 * Type-checks the code of every notebook: the code cells of each `notebooks/*.ipynb` are concatenated in order
 * into a temporary `notebooks/.<name>.check.ts` (so `../lib/...` imports resolve as in the kernel), `deno check`
 * runs on them, and error locations are mapped back to notebook + cell + line. Part of `deno task check`.
 *
 * Cells share one scope in the kernel, so the same rules hold here: do not redeclare a `const` in a later cell.
 *
 * @example
 * ```sh
 * deno run -A tools/check_notebooks.ts            # all notebooks
 * deno run -A tools/check_notebooks.ts 02_lbp     # name filter
 * ```
 * @module
 */
import { scriptArgs, usageError } from "./args.ts";
import { listNotebooks } from "./notebooks.ts";

/** Where each line of the generated file came from. */
export interface LineOrigin {
  cell: number;
  line: number;
}

/** The parts of an .ipynb read here. */
export interface NotebookJson {
  cells?: { cell_type: string; source: string | string[] }[];
  metadata?: { kernelspec?: { name?: string; display_name?: string; language?: string } };
}

/** A notebook's code flattened into one TypeScript module. */
export interface FlatNotebook {
  code: string;
  /** origins[i] = origin of line i+1 of `code` (undefined for separator lines). */
  origins: (LineOrigin | undefined)[];
}

/**
 * Concatenates the code cells of a notebook (parsed JSON) into one module with a line map. Jupyter magics or
 * shell lines (`%`, `!`) are not TypeScript and are rejected with the cell index; so is a kernelspec other than
 * the project's Deno kernel.
 *
 * @example
 * ```ts
 * const flat = flattenNotebook(JSON.parse(await Deno.readTextFile("notebooks/00_quickstart.ipynb")), "00");
 * ```
 */
export function flattenNotebook(nb: NotebookJson, name: string): FlatNotebook {
  if (!Array.isArray(nb.cells)) throw new Error(`${name}: not a notebook (no "cells" array)`);
  const ks = nb.metadata?.kernelspec;
  if (ks?.name !== "deno" || ks?.display_name !== "Deno" || ks?.language !== "typescript") {
    throw new Error(
      `${name}: metadata.kernelspec must be {"name": "deno", "display_name": "Deno", "language": "typescript"}, ` +
        `got ${JSON.stringify(ks ?? null)}`,
    );
  }
  const lines: string[] = [];
  const origins: (LineOrigin | undefined)[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    lines.push(`// ---- cell ${i}`);
    origins.push(undefined);
    src.split("\n").forEach((l, j) => {
      if (/^\s*[%!]/.test(l)) throw new Error(`${name}: cell ${i} line ${j + 1} is a magic/shell line, not TypeScript`);
      lines.push(l);
      origins.push({ cell: i, line: j + 1 });
    });
    lines.push(";"); // a cell's trailing expression must not run into the next cell
    origins.push(undefined);
  });
  lines.push("export {};");
  origins.push(undefined);
  return { code: lines.join("\n") + "\n", origins };
}

/**
 * Rewrites `file:///…/.<name>.check.ts:LINE:COL` in deno's output to `<notebook> cell N line L:COL`.
 *
 * @example
 * ```ts
 * mapLocations(out, tmpPath, "notebooks/02_lbp.ipynb", flat.origins);
 * ```
 */
export function mapLocations(
  text: string,
  tmpPath: string,
  notebook: string,
  origins: (LineOrigin | undefined)[],
): string {
  const escaped = tmpPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`(?:file://)?${escaped}:(\\d+):(\\d+)`, "g");
  return text.replace(re, (_m, l: string, c: string) => {
    const o = origins[Number(l) - 1];
    return o ? `${notebook} cell ${o.cell} line ${o.line}:${c}` : `${notebook} (generated line ${l}):${c}`;
  });
}

/**
 * Checks the given notebooks; returns the number that failed (details printed to stderr).
 *
 * @example
 * ```ts
 * const failed = await checkNotebooks(await listNotebooks("notebooks"));
 * ```
 */
export async function checkNotebooks(paths: string[]): Promise<number> {
  let failed = 0;
  const flats: { path: string; tmp: string; flat: FlatNotebook }[] = [];
  for (const path of paths) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
    try {
      const flat = flattenNotebook(JSON.parse(await Deno.readTextFile(path)), path);
      flats.push({ path, tmp: `${await Deno.realPath(dir)}/.${name}.check.ts`, flat });
    } catch (e) {
      console.error(`${path}: ${(e as Error).message}`);
      failed++;
    }
  }
  if (flats.length === 0) return failed;
  try {
    for (const f of flats) await Deno.writeTextFile(f.tmp, f.flat.code);
    // One `deno check` for all notebooks: the shared lib/ graph is type-checked once.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "-q", ...flats.map((f) => f.tmp)],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    let text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    let named = 0;
    for (const f of flats) {
      if (text.includes(f.tmp)) {
        named++;
        console.error(`notebook type check failed: ${f.path}`);
      } else if (out.code === 0) console.error(`Check ${f.path}`);
      text = mapLocations(text, f.tmp, f.path, f.flat.origins);
    }
    if (out.code !== 0) {
      console.error(text);
      failed += Math.max(1, named);
    }
  } finally {
    for (const f of flats) await Deno.remove(f.tmp).catch(() => {});
  }
  return failed;
}

if (import.meta.main) {
  const command = "deno run -A tools/check_notebooks.ts";
  const { positionals } = scriptArgs(Deno.args, {
    command,
    summary: "Type-checks the code cells of every notebook in notebooks/ (part of `deno task check`).",
    options: {},
    positionals: "[PATTERN]",
    notes: "PATTERN: only the notebooks whose file name contains it (default: all).",
  });
  if (positionals.length > 1) usageError(command, `one PATTERN at most, got ${positionals.join(" ")}`);
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const paths = await listNotebooks(`${root}/notebooks`, positionals[0] ?? "");
  const failed = await checkNotebooks(paths);
  if (failed > 0) console.error(`${failed} of ${paths.length} notebooks failed the type check`);
  Deno.exit(failed > 0 ? 1 : 0);
}
