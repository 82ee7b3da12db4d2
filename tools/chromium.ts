/**
 * Headless Chromium (Debian's `chromium`) driven over the DevTools protocol, with nothing but Deno's
 * WebSocket: launch on a fresh profile, open a page, evaluate JavaScript, take a screenshot. The machine
 * may have no outside network, so every background service that would reach out is switched off.
 *
 * @example
 * ```ts
 * const browser = await Chromium.launch();
 * const page = await browser.newPage();
 * await page.goto("http://127.0.0.1:8888/");
 * console.log(await page.evaluate<string>("document.title"));
 * await browser.close();
 * ```
 * @module
 */

/** Where Debian installs the browser; `FER_CHROMIUM` overrides. */
export const CHROMIUM: string = Deno.env.get("FER_CHROMIUM") ?? "/usr/bin/chromium";

/** Flags for a headless browser that reaches no outside service. */
export const HEADLESS_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
];

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
  method: string;
}

/** One DevTools connection; a `sessionId` addresses a page attached in flat mode. */
class Connection {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, Pending>();
  #listeners: ((method: string, params: Record<string, unknown>, sessionId?: string) => void)[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (msg.id !== undefined) {
        const p = this.#pending.get(msg.id);
        if (!p) return;
        this.#pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const l of this.#listeners) l(msg.method, msg.params ?? {}, msg.sessionId);
      }
    };
    ws.onclose = () => {
      for (const p of this.#pending.values()) p.reject(new Error(`${p.method}: browser connection closed`));
      this.#pending.clear();
    };
  }

  static open(url: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new Connection(ws));
      ws.onerror = () => reject(new Error(`cannot connect to the browser at ${url}`));
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  on(listener: (method: string, params: Record<string, unknown>, sessionId?: string) => void): void {
    this.#listeners.push(listener);
  }

  close(): void {
    this.#ws.close();
  }
}

/** Options of {@link Chromium.launch}. */
export interface LaunchOptions {
  /** Browser binary (default {@link CHROMIUM}). */
  executable?: string;
  /** Seconds to wait for the DevTools endpoint (default 30). */
  timeoutS?: number;
  /** More command-line flags (e.g. a fake webcam, software WebGL). */
  args?: readonly string[];
}

/** A running headless browser with its own throw-away profile. */
export class Chromium {
  #proc: Deno.ChildProcess;
  #conn: Connection;
  #profile: string;

  private constructor(proc: Deno.ChildProcess, conn: Connection, profile: string) {
    this.#proc = proc;
    this.#conn = conn;
    this.#profile = profile;
  }

  /** Starts the browser on a fresh `--user-data-dir` and connects to it. */
  static async launch(opts: LaunchOptions = {}): Promise<Chromium> {
    const exe = opts.executable ?? CHROMIUM;
    await Deno.stat(exe).catch(() => {
      throw new Error(`${exe} not found: install Debian's chromium (deno run -A tools/setup.ts installs it)`);
    });
    const profile = await Deno.makeTempDir({ prefix: "fer-chromium-" });
    const proc = new Deno.Command(exe, {
      args: [
        ...HEADLESS_FLAGS,
        ...(opts.args ?? []),
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        "about:blank",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + (opts.timeoutS ?? 30) * 1000;
    let endpoint = "";
    while (!endpoint) {
      // Chromium writes the port and the browser's WebSocket path here once DevTools listens.
      const text = await Deno.readTextFile(`${profile}/DevToolsActivePort`).catch(() => "");
      const [port, path] = text.split("\n");
      if (port && path) endpoint = `ws://127.0.0.1:${port.trim()}${path.trim()}`;
      else if (Date.now() > deadline) {
        proc.kill("SIGKILL");
        throw new Error(`${exe} did not open its DevTools port within ${opts.timeoutS ?? 30}s`);
      } else await new Promise((r) => setTimeout(r, 100));
    }
    return new Chromium(proc, await Connection.open(endpoint), profile);
  }

  /** Opens a new tab and attaches to it. */
  async newPage(opts: { width?: number; height?: number } = {}): Promise<Page> {
    const { targetId } = await this.#conn.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.#conn.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this.#conn, String(sessionId));
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    await page.send("Emulation.setDeviceMetricsOverride", {
      width: opts.width ?? 1280,
      height: opts.height ?? 900,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return page;
  }

  /** Closes the browser and removes its profile. */
  async close(): Promise<void> {
    await this.#conn.send("Browser.close").catch(() => {});
    this.#conn.close();
    const done = this.#proc.status;
    const timer = setTimeout(() => this.#proc.kill("SIGKILL"), 5000);
    await done;
    clearTimeout(timer);
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

/** One tab. */
export class Page {
  #conn: Connection;
  #session: string;
  /** Console errors and uncaught exceptions seen on the page. */
  readonly errors: string[] = [];

  constructor(conn: Connection, session: string) {
    this.#conn = conn;
    this.#session = session;
    conn.on((method, params, sessionId) => {
      if (sessionId !== session) return;
      if (method === "Runtime.exceptionThrown") {
        const d = params.exceptionDetails as { text?: string; exception?: { description?: string } };
        this.errors.push(d.exception?.description ?? d.text ?? "exception");
      }
    });
  }

  /** Sends a DevTools command to this page. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.#conn.send(method, params, this.#session);
  }

  /** Evaluates an expression (awaiting a promise result) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    const ex = r.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
    if (ex) throw new Error(`page script failed: ${ex.exception?.description ?? ex.text}`);
    return (r.result as { value: T }).value;
  }

  /** Navigates and waits until `ready` (a JavaScript expression) is true. */
  async goto(url: string, opts: { ready?: string; timeoutS?: number } = {}): Promise<void> {
    const r = await this.send("Page.navigate", { url });
    if (r.errorText) throw new Error(`cannot open ${url}: ${r.errorText}`);
    await this.waitFor(opts.ready ?? "document.readyState === 'complete'", opts.timeoutS ?? 60, url);
  }

  /** Polls a JavaScript expression until it is truthy. */
  async waitFor(expression: string, timeoutS = 60, what = expression): Promise<void> {
    const deadline = Date.now() + timeoutS * 1000;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutS}s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A PNG of the page; `fullPage` grows the viewport to the document's height first. */
  async screenshot(path: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    let clip: Record<string, number> | undefined;
    if (opts.fullPage) {
      const m = await this.send("Page.getLayoutMetrics");
      const size = m.cssContentSize as { width: number; height: number };
      clip = { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 };
    }
    const r = await this.send("Page.captureScreenshot", {
      format: "png",
      ...(clip ? { clip, captureBeyondViewport: true } : {}),
    });
    await Deno.writeFile(path, Uint8Array.from(atob(String(r.data)), (c) => c.charCodeAt(0)));
  }
}
