/**
 * Short content hashes: the first 16 hex digits (64 bits) of a text's SHA-256, for cache and job keys.
 *
 * @example
 * ```ts
 * sha256Hex16("abc"); // "ba7816bf8f01cfea"
 * ```
 * @module
 */
import { createHash } from "node:crypto";

/** The first 16 hex digits of the SHA-256 of `text` (UTF-8). */
export function sha256Hex16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
