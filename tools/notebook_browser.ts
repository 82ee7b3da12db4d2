/**
 * The chapters as a reader sees them: a copy of `notebooks/` served by classic Jupyter Notebook (Debian's),
 * each chapter opened **untrusted** (a fresh in-memory trust database, so nothing is signed) in headless
 * Chromium, and what the page shows read back from the DOM: tables, figures with their rendered size, raw
 * Markdown pipe text, stderr and error blocks. With `--shots DIR` it also saves a full-page screenshot
 * of each chapter.
 *
 * Used by tests/notebooks_browser_test.ts; by hand:
 *
 * @example
 * ```sh
 * deno run -A tools/notebook_browser.ts --shots /tmp/shots 04 06 07 08
 * ```
 * @module
 */
import { Chromium, type Page } from "./chromium.ts";
import { listNotebooks, PYTHON } from "./notebooks.ts";
import { scriptArgs } from "./args.ts";

/** A classic Notebook server over a temporary copy of some notebooks. */
export interface NotebookServer {
  url: string;
  /** The served folder (a copy: the page can never save over the committed chapters). */
  dir: string;
  stop(): Promise<void>;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Serves copies of `paths` with Debian's classic Notebook on 127.0.0.1, no token, trust kept in memory only.
 *
 * @example
 * ```ts
 * const server = await serveNotebooks(await listNotebooks("notebooks"));
 * await server.stop();
 * ```
 */
export async function serveNotebooks(paths: string[], opts: { timeoutS?: number } = {}): Promise<NotebookServer> {
  const dir = await Deno.makeTempDir({ prefix: "fer-served-" });
  for (const p of paths) await Deno.copyFile(p, `${dir}/${p.slice(p.lastIndexOf("/") + 1)}`);
  const runtime = await Deno.makeTempDir({ prefix: "fer-jupyter-runtime-" });
  const port = freePort();
  const proc = new Deno.Command(PYTHON, {
    args: [
      "-m",
      "notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--notebook-dir=${dir}`,
      "--NotebookApp.token=",
      "--NotebookApp.password=",
      "--NotebookNotary.db_file=:memory:",
      ...(Deno.uid() === 0 ? ["--allow-root"] : []), // CI runs as root
    ],
    env: { JUPYTER_RUNTIME_DIR: runtime, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  const reader = (async () => {
    for await (const chunk of proc.stderr.pipeThrough(new TextDecoderStream())) log.push(chunk);
  })();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      proc.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        proc.kill("SIGKILL");
      } catch { /* gone */ }
    }, 5000);
    await proc.status;
    clearTimeout(timer);
    await reader.catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.remove(runtime, { recursive: true }).catch(() => {});
  };
  let exited = false;
  proc.status.then(() => exited = true);
  const deadline = Date.now() + (opts.timeoutS ?? 60) * 1000;
  for (;;) {
    const ok = await fetch(`${url}/api`).then((r) => (r.body?.cancel(), r.ok)).catch(() => false);
    if (ok) break;
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? "exited" : `did not answer on ${url} within ${opts.timeoutS ?? 60}s`;
      throw new Error(`classic Notebook (${PYTHON} -m notebook) ${why}:\n${log.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, dir, stop };
}

/** A rendered figure: an `<img>` or a top-level `<svg>` in an output. */
export interface ShownFigure {
  tag: string;
  width: number;
  height: number;
  /** For `<img>`: decoded and non-empty. */
  loaded: boolean;
}

/** What an opened chapter shows. */
export interface ChapterView {
  name: string;
  /** Classic Notebook's trust state of the opened notebook. */
  trusted: boolean;
  /** The "Not Trusted" indicator's text. */
  trustLabel: string;
  /** True when the notebook counted as modified once open and its kernel connected (it would prompt to save). */
  dirty: boolean;
  /** `<table>` elements in outputs. */
  tables: number;
  figures: ShownFigure[];
  /** Output and Markdown-cell texts that still show Markdown pipe tables (`|---|`). */
  rawPipeText: string[];
  /** Visible stderr blocks (their text, shortened). */
  stderr: string[];
  /** Visible error outputs. */
  errors: string[];
  /** Uncaught page exceptions. */
  pageErrors: string[];
  seconds: number;
}

// Runs in the page: reads the rendered outputs of the notebook.
const INSPECT = `(() => {
  const visible = (e) => e.offsetParent !== null && e.getBoundingClientRect().height > 0;
  const outputs = [...document.querySelectorAll(".output_subarea")];
  const figures = [];
  for (const o of outputs) {
    for (const e of o.querySelectorAll("img, svg")) {
      if (e.tagName.toLowerCase() === "svg" && e.parentElement && e.parentElement.closest("svg")) continue;
      const r = e.getBoundingClientRect();
      figures.push({
        tag: e.tagName.toLowerCase(),
        width: Math.round(r.width),
        height: Math.round(r.height),
        loaded: e.tagName.toLowerCase() === "img" ? e.complete && e.naturalWidth > 0 : true,
      });
    }
  }
  const pipe = /\\|\\s*:?-{3,}:?\\s*\\|/;
  const cut = (s) => s.length > 200 ? s.slice(0, 200) + "…" : s;
  return {
    trusted: Jupyter.notebook.trusted,
    trustLabel: (document.querySelector("#notification_trusted") || {}).textContent || "",
    dirty: Jupyter.notebook.dirty,
    tables: outputs.reduce((n, o) => n + o.querySelectorAll("table").length, 0),
    figures,
    rawPipeText: [...outputs, ...document.querySelectorAll(".text_cell_render")]
      .filter((o) => visible(o) && pipe.test(o.innerText)).map((o) => cut(o.innerText)),
    stderr: [...document.querySelectorAll(".output_stderr")].filter(visible).map((o) => cut(o.innerText)),
    errors: [...document.querySelectorAll(".output_error")].filter(visible).map((o) => cut(o.innerText)),
  };
})()`;

// Lets the page grow to its content so a screenshot holds the whole chapter.
const UNCLIP = `(() => {
  const s = document.createElement("style");
  s.textContent = "html, body, #site { height: auto !important; overflow: visible !important; }";
  document.head.append(s);
  return true;
})()`;

/**
 * Opens one served chapter in `page`, waits for every output to render and reads back what it shows.
 * Shuts the chapter's kernel down afterwards (classic Notebook starts one on open).
 *
 * @example
 * ```ts
 * const view = await openChapter(page, server, "04_model.ipynb", { screenshot: "/tmp/shots/04_model.png" });
 * ```
 */
export async function openChapter(
  page: Page,
  server: NotebookServer,
  name: string,
  opts: { screenshot?: string; timeoutS?: number } = {},
): Promise<ChapterView> {
  const t0 = performance.now();
  page.errors.length = 0;
  await page.goto(`${server.url}/notebooks/${encodeURIComponent(name)}`, {
    ready: "window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded",
    timeoutS: opts.timeoutS ?? 60,
  });
  await page.waitFor("[...document.images].every((i) => i.complete)", opts.timeoutS ?? 60, `${name}'s images`);
  // Classic Notebook starts the chapter's kernel and copies its language_info into the notebook: only then
  // does it know whether opening changed anything.
  await page.waitFor(
    "Jupyter.notebook.kernel && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.language_info",
    opts.timeoutS ?? 60,
    `${name}'s kernel`,
  );
  const view = await page.evaluate<Omit<ChapterView, "name" | "seconds" | "pageErrors">>(INSPECT);
  if (opts.screenshot) {
    await page.evaluate(UNCLIP);
    await page.screenshot(opts.screenshot, { fullPage: true });
  }
  // The kernel classic Notebook started for this page is not needed: stop it before the next chapter.
  await page.evaluate(`new Promise((done) => {
    const s = Jupyter.notebook.session;
    if (!s || !s.id) return done(true);
    s.delete(() => done(true), () => done(false));
    setTimeout(() => done(false), 10000);
  })`).catch(() => false);
  return { name, ...view, pageErrors: [...page.errors], seconds: (performance.now() - t0) / 1000 };
}

/**
 * Serves the chapters matching `patterns` (all when empty), opens each in headless Chromium and returns
 * what each shows; with `shots`, full-page screenshots land there as `<chapter>.png`.
 *
 * @example
 * ```ts
 * const views = await viewChapters({ patterns: ["04"], shots: "/tmp/shots" });
 * ```
 */
export async function viewChapters(
  opts: { dir?: string; patterns?: string[]; shots?: string } = {},
): Promise<ChapterView[]> {
  const dir = opts.dir ?? new URL("../notebooks", import.meta.url).pathname;
  const all = await listNotebooks(dir);
  const patterns = opts.patterns ?? [];
  const paths = patterns.length ? all.filter((p) => patterns.some((q) => p.slice(dir.length).includes(q))) : all;
  if (paths.length === 0) throw new Error(`no notebooks in ${dir} match ${patterns.join(", ")}`);
  if (opts.shots) await Deno.mkdir(opts.shots, { recursive: true });
  const server = await serveNotebooks(paths);
  let browser: Chromium | undefined;
  try {
    browser = await Chromium.launch();
    const page = await browser.newPage();
    const views: ChapterView[] = [];
    for (const p of paths) {
      const name = p.slice(p.lastIndexOf("/") + 1);
      const shot = opts.shots ? `${opts.shots}/${name.replace(/\.ipynb$/, ".png")}` : undefined;
      views.push(await openChapter(page, server, name, { screenshot: shot }));
    }
    return views;
  } finally {
    await browser?.close();
    await server.stop();
  }
}

if (import.meta.main) {
  const { values, positionals } = scriptArgs(Deno.args, {
    command: "deno run -A tools/notebook_browser.ts",
    summary: "Opens the chapters untrusted in classic Jupyter Notebook in headless Chromium and prints what each " +
      "page shows (tables, figures, raw Markdown, errors), one JSON line per chapter.",
    options: { shots: { type: "string", help: "also save a full-page screenshot of each chapter into this folder" } },
    positionals: "[PATTERN…]",
    notes: "PATTERN: the chapters whose file name contains one of them (default: all).",
  });
  const views = await viewChapters({ patterns: positionals, shots: values.shots });
  for (const v of views) {
    console.log(JSON.stringify({ ...v, figures: v.figures.map((f) => `${f.tag} ${f.width}x${f.height}`) }));
  }
}
