/**
 * Test helper of the commands: runs one and captures what it printed on stdout.
 *
 * @example
 * ```ts
 * const { code, out } = await captureLog(() => main(["model", "presets", "--json"]));
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
