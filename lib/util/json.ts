/**
 * Reading a JSON file whose failure must name the file and what it was meant to be: records, cells,
 * specs and manifests are untrusted input, and "Unexpected token" alone names neither.
 *
 * @example
 * ```ts
 * const rec = await readJsonFile("results/peers/fer2013-publictest.json", "a peers record");
 * ```
 * @module
 */

/**
 * Reads and parses `path`. A missing file, an unreadable one or bad JSON throws
 * `<path>: cannot read <what> (<cause>)`; checking the parsed value's shape is the caller's.
 */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    throw new Error(`${path}: cannot read ${what} (${err instanceof Error ? err.message : err})`);
  }
}
