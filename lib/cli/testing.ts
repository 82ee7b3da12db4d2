/**
 * Test helpers of the commands: run one in this process and capture what it printed on stdout, or run
 * `fer` as its own process.
 *
 * @example
 * ```ts
 * const { code, out } = await captureLog(() => main(["model", "presets", "--json"]));
 * const t = await ferProcess(["train", "--help"]);
 * ```
 * @module
 */

/** Runs `fn` with console.log captured; returns its exit code and the printed lines joined by "\n". */
export async function captureLog(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    return { code: await fn(), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

/** What a `fer` process exited with and printed. */
export interface FerProcess {
  code: number;
  out: string;
  err: string;
}

/** Runs `deno run -A lib/cli/main.ts <args>` as its own process, quietly (FER_PROGRESS=silent, plus `env`). */
export async function ferProcess(args: string[], env: Record<string, string> = {}): Promise<FerProcess> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./main.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { FER_PROGRESS: "silent", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}
