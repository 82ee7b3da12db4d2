/**
 * One progress reporter for every long loop (data loading, LBP, augmentation, training, k-fold).
 *
 * Where the output goes is chosen once per process from the environment:
 * - `tty`: a single redrawn bar with rate and ETA (stderr is a terminal);
 * - `lines`: a plain line at most every `intervalMs` (CI logs, pipes);
 * - `notebook`: an updating display in the current Jupyter cell (Deno kernel);
 * - `silent`: nothing (tests that do not want noise).
 * `FER_PROGRESS=tty|lines|notebook|silent` overrides the choice.
 *
 * @example
 * ```ts
 * const p = new Progress({ label: "LBP", total: images.length, unit: "img" });
 * for (const img of images) { work(img); p.tick(1); }
 * p.done();
 * ```
 * @module
 */

/** Where progress is drawn. */
export type ProgressMode = "tty" | "lines" | "notebook" | "silent";

/** A snapshot handed to a sink on every redraw. */
export interface ProgressState {
  label: string;
  unit: string;
  done: number;
  total: number | undefined;
  elapsedMs: number;
  /** Units per second since start. */
  rate: number;
  /** Estimated milliseconds left, when total is known. */
  etaMs: number | undefined;
  /** Extra values shown after the bar (loss, accuracy, …). */
  metrics: Record<string, number | string>;
  finished: boolean;
}

/** Something that draws a {@link ProgressState}. */
export interface ProgressSink {
  update(state: ProgressState): void;
}

/** Options of {@link Progress}. */
export interface ProgressOptions {
  label: string;
  total?: number;
  unit?: string;
  /** Minimum milliseconds between two redraws (default: 100 for tty/notebook, 10 000 for lines). */
  intervalMs?: number;
  mode?: ProgressMode;
  /** Draw somewhere else entirely (tests, custom UIs). */
  sink?: ProgressSink;
  /** In a notebook, draw into this display, shared with other bars (see {@link ProgressDisplay}). */
  display?: ProgressDisplay;
}

/** Picks the mode from `FER_PROGRESS`, the Jupyter kernel and whether stderr is a terminal. */
export function detectMode(): ProgressMode {
  const forced = Deno.env.get("FER_PROGRESS");
  if (forced) {
    if (!["tty", "lines", "notebook", "silent"].includes(forced)) {
      throw new Error(`FER_PROGRESS must be tty, lines, notebook or silent, got "${forced}"`);
    }
    return forced as ProgressMode;
  }
  if (inJupyter()) return "notebook";
  return Deno.stderr.isTerminal() ? "tty" : "lines";
}

/**
 * True inside the Deno Jupyter kernel. The kernel's main module is `$deno$jupyter_repl.mts`; a child
 * process started from a notebook inherits the kernel's environment but is not a kernel, and touching
 * `Deno.jupyter` outside `deno jupyter` throws, so the main module decides.
 */
export function inJupyter(): boolean {
  try {
    if (!/\$deno\$(jupyter_)?repl/.test(Deno.mainModule)) return false;
    // deno-lint-ignore no-explicit-any
    return typeof (Deno as any).jupyter?.broadcast === "function";
  } catch {
    return false;
  }
}

/** Formats milliseconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** One line of text describing a state: `label 40/100 [=====     ] 12.3 img/s ETA 5s loss=0.53`. */
export function formatLine(st: ProgressState, barWidth = 24): string {
  const parts = [st.label];
  if (st.total !== undefined && st.total > 0) {
    const frac = Math.min(1, st.done / st.total);
    const fill = Math.round(frac * barWidth);
    parts.push(`${st.done}/${st.total}`);
    if (barWidth > 0) parts.push(`[${"=".repeat(fill)}${" ".repeat(barWidth - fill)}]`);
  } else {
    parts.push(`${st.done}`);
  }
  parts.push(`${st.rate >= 100 ? st.rate.toFixed(0) : st.rate.toFixed(2)} ${st.unit}/s`);
  if (st.finished) parts.push(`in ${formatDuration(st.elapsedMs)}`);
  else if (st.etaMs !== undefined) parts.push(`ETA ${formatDuration(st.etaMs)}`);
  for (const [k, v] of Object.entries(st.metrics)) {
    parts.push(`${k}=${typeof v === "number" ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`);
  }
  return parts.join(" ");
}

const encoder = new TextEncoder();

class TtySink implements ProgressSink {
  update(st: ProgressState): void {
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${formatLine(st)}${st.finished ? "\n" : ""}`));
  }
}

class LineSink implements ProgressSink {
  update(st: ProgressState): void {
    console.error(formatLine(st));
  }
}

let displayCounter = 0;

/**
 * One notebook display that successive bars redraw in place, e.g. the bar of each epoch of a training
 * run: the cell then holds one line, the latest, instead of one frozen line per epoch. Outside a notebook
 * it changes nothing.
 *
 * @example
 * ```ts
 * const display = new ProgressDisplay();
 * for (let e = 1; e <= 3; e++) {
 *   const p = new Progress({ label: `epoch ${e}/3`, total: 100, display });
 *   p.done();
 * }
 * ```
 */
export class ProgressDisplay {
  /** The Jupyter display id. */
  readonly id = `fer-progress-${Date.now()}-${displayCounter++}`;
  /** True once a bar has created the display (later bars update it). */
  shown = false;
}

class NotebookSink implements ProgressSink {
  #display: ProgressDisplay;
  constructor(display = new ProgressDisplay()) {
    this.#display = display;
  }
  update(st: ProgressState): void {
    // deno-lint-ignore no-explicit-any
    const jup = (Deno as any).jupyter;
    const frac = st.total ? Math.min(1, st.done / st.total) : 0;
    const html =
      `<div style="font-family:monospace"><progress value="${frac}" max="1" style="width:240px"></progress> ${
        escapeHtml(formatLine(st, 0))
      }</div>`;
    const content = {
      data: { "text/plain": formatLine(st), "text/html": html },
      metadata: {},
      transient: { display_id: this.#display.id },
    };
    jup.broadcast(this.#display.shown ? "update_display_data" : "display_data", content);
    this.#display.shown = true;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A progress counter that redraws through the chosen sink, throttled. */
export class Progress {
  readonly label: string;
  readonly unit: string;
  total: number | undefined;
  #done = 0;
  #start = performance.now();
  #last = -Infinity;
  #interval: number;
  #sink: ProgressSink | null;
  #metrics: Record<string, number | string> = {};
  #finished = false;

  constructor(opts: ProgressOptions) {
    this.label = opts.label;
    this.unit = opts.unit ?? "it";
    this.total = opts.total;
    const mode = opts.sink ? "tty" : opts.mode ?? detectMode();
    this.#interval = opts.intervalMs ?? (mode === "lines" ? 10_000 : 100);
    this.#sink = opts.sink ??
      (mode === "tty"
        ? new TtySink()
        : mode === "lines"
        ? new LineSink()
        : mode === "notebook"
        ? new NotebookSink(opts.display)
        : null);
  }

  /** Units done so far. */
  get count(): number {
    return this.#done;
  }

  /** Advance by n units, optionally updating the metrics shown. */
  tick(n = 1, metrics?: Record<string, number | string>): void {
    this.#done += n;
    if (metrics) Object.assign(this.#metrics, metrics);
    const now = performance.now();
    if (now - this.#last >= this.#interval) {
      this.#last = now;
      this.#draw(false);
    }
  }

  /** Set metrics without advancing. */
  set(metrics: Record<string, number | string>): void {
    Object.assign(this.#metrics, metrics);
  }

  /** Final redraw; further calls are ignored. */
  done(metrics?: Record<string, number | string>): void {
    if (this.#finished) return;
    if (metrics) Object.assign(this.#metrics, metrics);
    this.#finished = true;
    this.#draw(true);
  }

  /** The current state, as a sink would see it. */
  state(): ProgressState {
    const elapsedMs = performance.now() - this.#start;
    const rate = elapsedMs > 0 ? this.#done / (elapsedMs / 1000) : 0;
    const left = this.total !== undefined ? Math.max(0, this.total - this.#done) : undefined;
    return {
      label: this.label,
      unit: this.unit,
      done: this.#done,
      total: this.total,
      elapsedMs,
      rate,
      etaMs: left !== undefined && rate > 0 ? (left / rate) * 1000 : undefined,
      metrics: { ...this.#metrics },
      finished: this.#finished,
    };
  }

  #draw(finished: boolean): void {
    if (!this.#sink) return;
    const st = this.state();
    st.finished = finished;
    this.#sink.update(st);
  }
}
