/**
 * Where the real datasets live: `FER_DATA` if set, else `../shared/datasets` (or `../../shared/datasets`,
 * for a git worktree one level deeper) relative to the project root.
 *
 * @example
 * ```ts
 * const ck = datasetDir("ckplus48"); // "<datasets root>/ckplus48", or null without it
 * if (!ck) console.log(missingDataset("ckplus48")); // says what is missing and how to provide it
 * ```
 * @module
 */
import { join, relative, resolve } from "node:path";
import { projectRoot } from "../util/root.ts";

export { projectRoot };

/**
 * One path relative to the project root, also when it lies outside (`../shared/datasets`): how notebooks
 * print a folder, so saved outputs read the same on every machine.
 *
 * @example
 * ```ts
 * projectPath(`${projectRoot()}/outputs/runs`); // "outputs/runs"
 * ```
 */
export function projectPath(path: string): string {
  return relative(projectRoot(), resolve(path)) || ".";
}

/**
 * Rewrites every absolute path inside the project, in a path or in any text, relative to the root (the root
 * itself becomes "."); paths elsewhere are left as they are.
 *
 * @example
 * ```ts
 * projectRelative(`loaded from ${projectRoot()}/build/libfer.so`); // "loaded from build/libfer.so"
 * ```
 */
export function projectRelative(text: string): string {
  const escaped = projectRoot().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`${escaped}(/|(?![\\w.-]))`, "g"), (_m, slash: string) => (slash ? "" : "."));
}

/** The real-data folder, or null when none is present (tests then skip real-data checks). */
export function datasetsRoot(): string | null {
  const env = Deno.env.get("FER_DATA");
  if (env) return resolve(env);
  for (const rel of ["../shared/datasets", "../../shared/datasets"]) {
    const p = join(projectRoot(), rel);
    if (isDir(p)) return p;
  }
  return null;
}

/** `<datasets root>/<folder>` (e.g. "fer2013", "ckplus48", "fer2013/PublicTest") when it exists, else null. */
export function datasetDir(folder: string): string | null {
  const root = datasetsRoot();
  return root !== null && isDir(join(root, folder)) ? join(root, folder) : null;
}

/** What is missing for `<datasets root>/<folder>` and how to provide it; null when it is there. */
export function missingDataset(folder: string): string | null {
  const root = datasetsRoot();
  if (root === null) {
    return `no datasets folder for ${folder} (set FER_DATA, or put the datasets in ../shared/datasets)`;
  }
  return isDir(join(root, folder)) ? null : `no ${folder} in the datasets folder ${root}`;
}

/** True when the path exists and is a directory. */
export function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
