/**
 * Notebook runner: `deno task notebooks [pattern] [--fast] [--out DIR] [--timeout S]` executes the chapters in
 * `notebooks/` headless with the Deno Jupyter kernel and saves every cell's outputs into the .ipynb (in place,
 * or into `--out`). A fast run (`--fast`, FER_FAST=1) never replaces the committed full-mode outputs: it is
 * written to `outputs/notebooks-fast/` unless `--out` names another folder. Cells run with cwd = the
 * notebook's folder. A failing cell stops that notebook and fails the run with the notebook's path and the
 * cell's index.
 *
 * It drives tools/nb_exec.py (jupyter_client under /usr/bin/python3), which does not lose results to the Deno
 * kernel's early `idle`: see that file. Cells tagged `dataset-images` (real faces) keep their text outputs but
 * never their pictures in the saved notebook: the datasets' terms forbid redistributing the images.
 *
 * @example
 * ```sh
 * deno task notebooks            # every chapter, full mode, saved in place
 * deno task notebooks 02 --fast  # chapters whose file name contains "02", FER_FAST=1, saved to outputs/notebooks-fast/
 * ```
 * @module
 */
import { Progress } from "../lib/util/mod.ts";
import { scriptArgs, usageError } from "./args.ts";

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  /** Notebook to execute. */
  path: string;
  /** Where the executed notebook is written (default: `path`, in place). */
  outPath?: string;
  /** Kernel working directory (default: the folder of `path`). */
  cwd?: string;
  /** Sets FER_FAST=1 for the kernel. */
  fast?: boolean;
  /** Seconds allowed per cell (default 600). */
  timeoutS?: number;
  /** Quiet seconds on iopub after a cell's reply and idle before the next cell starts (default 0.3). */
  graceS?: number;
  /** Kernel name (default "deno"). */
  kernel?: string;
  /** Extra environment for the kernel (e.g. FER_OUTPUTS pointing at a temp folder). */
  env?: Record<string, string>;
}

/** Outcome of one notebook execution. */
export interface NotebookRunResult {
  path: string;
  outPath: string;
  ok: boolean;
  /** Number of cells in the notebook (all kinds). */
  cells: number;
  /** Code cells executed (up to and including a failing one). */
  executed: number;
  seconds: number;
  /** Present when a cell failed: index among all cells and among code cells. */
  error?: { cell: number; codeCell: number; ename: string; evalue: string; source: string };
}

/** Python with jupyter_client (Debian's; the pyenv python first on PATH lacks it). */
export const PYTHON: string = Deno.env.get("FER_PYTHON") ?? "/usr/bin/python3";

const HELPER = new URL("./nb_exec.py", import.meta.url).pathname;

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/**
 * Executes one notebook and saves it with outputs. Resolves with the result (ok false on a failing cell);
 * rejects only when the runner itself cannot work (missing file, no jupyter_client, kernel not starting).
 *
 * @example
 * ```ts
 * const r = await runNotebook({ path: "notebooks/00_quickstart.ipynb", outPath: "/tmp/q.ipynb", fast: true });
 * if (!r.ok) console.error(describeFailure(r));
 * ```
 */
export async function runNotebook(opts: RunNotebookOptions): Promise<NotebookRunResult> {
  const outPath = opts.outPath ?? opts.path;
  await Deno.stat(opts.path).catch(() => {
    throw new Error(`notebook not found: ${opts.path}`);
  });
  // The kernel is a notebook: progress draws as an updating display even when the caller's FER_PROGRESS
  // (e.g. `lines` in CI) says otherwise; opts.env can still override.
  const env: Record<string, string> = {
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    FER_PROGRESS: "notebook",
    NO_COLOR: "1", // plain text results in the saved .ipynb (clean diffs, readable on any viewer)
    ...opts.env,
  };
  if (opts.fast) env.FER_FAST = "1";
  const args = [
    "-Xfrozen_modules=off",
    HELPER,
    opts.path,
    outPath,
    "--cwd",
    await Deno.realPath(opts.cwd ?? dirOf(opts.path)),
    "--kernel",
    opts.kernel ?? "deno",
    "--timeout",
    String(opts.timeoutS ?? 600),
    "--grace",
    String(opts.graceS ?? 0.3),
  ];
  const t0 = performance.now();
  const out = await new Deno.Command(PYTHON, { args, env, stdout: "piped", stderr: "piped" }).output();
  const seconds = (performance.now() - t0) / 1000;
  const stdout = new TextDecoder().decode(out.stdout).trim();
  const stderr = new TextDecoder().decode(out.stderr);
  const last = stdout.split("\n").pop() ?? "";
  if (out.code === 2 || !last.startsWith("{")) {
    throw new Error(`notebook runner failed on ${opts.path} (exit ${out.code}):\n${stdout}\n${stderr.slice(-3000)}`);
  }
  const r = JSON.parse(last);
  const result: NotebookRunResult = {
    path: opts.path,
    outPath,
    ok: r.ok,
    cells: r.cells,
    executed: r.executed,
    seconds,
  };
  if (r.error) {
    result.error = {
      cell: r.error.cell,
      codeCell: r.error.code_cell,
      ename: r.error.ename,
      evalue: r.error.evalue,
      source: r.error.source,
    };
  }
  return result;
}

/**
 * One line naming the notebook and the failing cell.
 *
 * @example
 * ```ts
 * describeFailure(r); // "notebooks/02_lbp.ipynb: cell 7 (code cell 3) failed: TypeError: x is undefined [first line: …]"
 * ```
 */
export function describeFailure(r: NotebookRunResult): string {
  if (!r.error) return `${r.path}: ok`;
  const e = r.error;
  return `${r.path}: cell ${e.cell} (code cell ${e.codeCell}) failed: ${e.ename}: ${e.evalue} ` +
    `[first line: ${e.source}]`;
}

/**
 * Chapters under `dir` whose file name contains `pattern` (all when empty), sorted by name.
 *
 * @example
 * ```ts
 * await listNotebooks("notebooks", "lbp"); // ["notebooks/02_lbp.ipynb"]
 * ```
 */
export async function listNotebooks(dir: string, pattern = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ipynb") && e.name.includes(pattern)) names.push(`${dir}/${e.name}`);
  }
  return names.sort();
}

/**
 * Where executed chapters are saved: `out` when given, else in place (undefined) for a full run, and
 * `<root>/outputs/notebooks-fast` for a fast one. A fast run aimed at the chapters' own folder is refused:
 * its small-data outputs would replace the committed full-mode ones.
 *
 * @example
 * ```ts
 * await outputFolder({ fast: true, notebooksDir: "/r/notebooks", root: "/r" }); // "/r/outputs/notebooks-fast"
 * ```
 */
export async function outputFolder(
  o: { fast: boolean; out?: string; notebooksDir: string; root: string },
): Promise<string | undefined> {
  if (!o.fast) return o.out;
  if (o.out === undefined) return `${o.root}/outputs/notebooks-fast`;
  const real = (p: string) => Deno.realPath(p).catch(() => p);
  if ((await real(o.out)).replace(/\/$/, "") === (await real(o.notebooksDir)).replace(/\/$/, "")) {
    throw new Error(
      `a fast run is not saved into ${o.notebooksDir}: it would replace the committed full-mode outputs ` +
        `(leave out --out for outputs/notebooks-fast/, or name another folder)`,
    );
  }
  return o.out;
}

async function main(argv: string[]): Promise<number> {
  const command = "deno task notebooks";
  const { values, positionals } = scriptArgs(argv, {
    command,
    summary: "Executes the chapters in notebooks/ headless with the Deno Jupyter kernel and saves every cell's " +
      "outputs into the .ipynb.",
    options: {
      fast: { type: "boolean", help: "FER_FAST=1 (small data); saved to outputs/notebooks-fast/ unless --out" },
      out: { type: "string", help: "the folder the executed notebooks are written to (default: in place)" },
      timeout: { type: "number", default: 600, min: 1, help: "seconds allowed per cell" },
    },
    positionals: "[PATTERN]",
    notes: "PATTERN: only the chapters whose file name contains it (default: all).",
  });
  if (positionals.length > 1) usageError(command, `one PATTERN at most, got ${positionals.join(" ")}`);
  const timeoutS = values.timeout, fast = values.fast, pattern = positionals[0] ?? "";
  if (!(timeoutS > 0)) usageError(command, `--timeout must be a positive number of seconds, got "${values.timeout}"`);
  let outDir = values.out;
  const root = dirOf(dirOf(new URL(import.meta.url).pathname));
  const dir = `${root}/notebooks`;
  const books = await listNotebooks(dir, pattern);
  if (books.length === 0) {
    console.error(`no notebooks in ${dir} match "${pattern}"`);
    return 1;
  }
  try {
    outDir = await outputFolder({ fast, out: outDir, notebooksDir: dir, root });
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (outDir) await Deno.mkdir(outDir, { recursive: true });
  const progress = new Progress({ label: "notebooks", total: books.length, unit: "nb" });
  const failures: string[] = [];
  for (const path of books) {
    const outPath = outDir ? `${outDir}/${path.slice(path.lastIndexOf("/") + 1)}` : path;
    const r = await runNotebook({ path, outPath, fast, timeoutS, cwd: dir });
    console.log(`${r.ok ? "ok  " : "FAIL"} ${path} (${r.executed} code cells, ${r.seconds.toFixed(1)}s) -> ${outPath}`);
    if (!r.ok) failures.push(describeFailure(r));
    progress.tick(1);
  }
  progress.done();
  for (const f of failures) console.error(f);
  return failures.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
