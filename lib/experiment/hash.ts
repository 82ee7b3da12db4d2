/**
 * Content hashes of experiment specs: canonical JSON (object keys sorted at every depth, `undefined`
 * fields dropped) and its SHA-256. Two specs that differ only in key order hash alike; a grid job is
 * keyed by the hash of its spec (lib/grid/plan.ts), so a finished job is recognised in any runs folder.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: { d: 2, c: 3 } }); // '{"a":{"c":3,"d":2},"b":1}'
 * specHash({ train: { epochs: 1 }, model: "paper" }); // 16 hex digits
 * ```
 * @module
 */
import { sha256Hex16 } from "../util/hash.ts";

/** JSON with object keys sorted, so two values compare by content. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) =>
      x && typeof x === "object" && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
        : x,
  );
}

/** The first 16 hex digits (64 bits) of the SHA-256 of a value's canonical JSON. */
export function specHash(v: unknown): string {
  return sha256Hex16(canonicalJson(v));
}
