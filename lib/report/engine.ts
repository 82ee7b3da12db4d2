/**
 * Finds the training engine (lib/train/loop.ts, lib/eval/kfold.ts and the data/model/feature modules
 * it needs) at run time, so `fer reproduce` can plan tables before the engine is in this checkout
 * and says exactly what is missing when asked to execute.
 *
 * @example
 * ```ts
 * const missing = await missingEngineModules();
 * if (missing.length) console.error(`training engine not available: ${missing.join(", ")}`);
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";

/** Modules `fer reproduce` executes through, relative to lib/. */
export const ENGINE_MODULES = [
  "train/experiment.ts",
  "train/config.ts",
  "train/backend.ts",
  "train/loop.ts",
  "eval/kfold.ts",
] as const;

/** Which engine modules are absent from this checkout. */
export async function missingEngineModules(libDir = fileURLToPath(new URL("../", import.meta.url))): Promise<string[]> {
  const missing: string[] = [];
  for (const m of ENGINE_MODULES) {
    try {
      await Deno.stat(`${libDir}${m}`);
    } catch {
      missing.push(`lib/${m}`);
    }
  }
  return missing;
}
