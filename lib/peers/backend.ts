/**
 * Backend choice for the peers: keep the TF.js backend the caller already set, otherwise use the
 * WASM backend (SIMD; 5–13× faster than the pure-JS cpu backend on these models), falling back to cpu.
 *
 * @example
 * ```ts
 * await ensurePeerBackend(); // "wasm" unless something else was set first
 * ```
 * @module
 */
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { join } from "node:path";
import { packageDir } from "./package_files.ts";

let wasmPathsSet = false;

/** Points the WASM backend at its .wasm files inside node_modules (no network). */
export function setLocalWasmPaths(): void {
  if (wasmPathsSet) return;
  setWasmPaths(join(packageDir("@tensorflow/tfjs-backend-wasm", tf.version_core), "dist") + "/");
  wasmPathsSet = true;
}

/**
 * Makes sure a backend is active and returns its name: an explicit `prefer` wins, then a backend the
 * caller already activated, then wasm, then cpu.
 */
export async function ensurePeerBackend(prefer?: string): Promise<string> {
  setLocalWasmPaths();
  // deno-lint-ignore no-explicit-any
  const active: string | null = (tf.engine() as any).backendName ?? null;
  if (prefer) {
    if (!(await tf.setBackend(prefer))) throw new Error(`TF.js backend "${prefer}" could not be initialised`);
  } else if (!active) {
    if (!(await tf.setBackend("wasm"))) await tf.setBackend("cpu");
  }
  await tf.ready();
  return tf.getBackend();
}
