/**
 * The project root: the folder holding deno.json, two levels above this file.
 *
 * @example
 * ```ts
 * const src = `${projectRoot()}/native/torch_shim.cc`;
 * ```
 * @module
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the project root (the folder holding deno.json). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}
