/**
 * The bottom layer: seeded randomness, progress display, the fast (CI) mode switch, the fail points
 * of the fault suite and the machine a measurement ran on.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): failpoint.ts, hash.ts, mode.ts,
 *  host.ts, json.ts, progress.ts, rng.ts, root.ts.
 *
 * @example
 * ```ts
 * import { fastMode, Progress, Rng } from "../lib/util/mod.ts";
 * const rng = new Rng("epoch:1");
 * const p = new Progress({ label: "decode", total: fastMode() ? 10 : 1000, unit: "img" });
 * ```
 * @module
 */
export { fnv1a, Rng, type RngState } from "./rng.ts";
export {
  detectMode,
  formatDuration,
  formatLine,
  inJupyter,
  Progress,
  type ProgressMode,
  type ProgressOptions,
  type ProgressSink,
  type ProgressState,
} from "./progress.ts";
export { fastMode } from "./mode.ts";
export { type Failpoint, failpoint, FAILPOINTS } from "./failpoint.ts";
export { projectRoot } from "./root.ts";
export { sha256Hex16 } from "./hash.ts";
export { readJsonFile } from "./json.ts";
export { type HostInfo, hostInfo, type RecordedMachine } from "./host.ts";
