/**
 * The repository's root folder, and text made relative to it: what notebooks print (run folders, output
 * folders, the native library's path) then reads the same on every machine and in the committed chapters.
 *
 * @example
 * ```ts
 * repoRelative(`${repoRoot()}/outputs/runs/abc`); // "outputs/runs/abc"
 * ```
 * @module
 */
import { relative, resolve } from "node:path";

/**
 * Absolute path of the repository (the folder holding `lib/`), without a trailing slash.
 *
 * @example
 * ```ts
 * repoRoot(); // "/home/me/fer-attention"
 * ```
 */
export function repoRoot(): string {
  return new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
}

/**
 * One path relative to the repository root, also when it lies outside (`../shared/datasets`).
 *
 * @example
 * ```ts
 * repoPath(`${repoRoot()}/../shared/datasets`); // "../shared/datasets"
 * ```
 */
export function repoPath(path: string): string {
  return relative(repoRoot(), resolve(path)) || ".";
}

/**
 * Rewrites every absolute path inside the repository, in a path or in any text, relative to the root; the
 * root itself becomes ".". Paths elsewhere are left as they are.
 *
 * @example
 * ```ts
 * repoRelative(`loaded from ${repoRoot()}/build/libfer.so`); // "loaded from build/libfer.so"
 * ```
 */
export function repoRelative(text: string): string {
  const root = repoRoot();
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`${escaped}(/|(?![\\w.-]))`, "g"), (_m, slash: string) => (slash ? "" : "."));
}
