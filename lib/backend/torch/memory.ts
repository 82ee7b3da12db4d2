/**
 * Freed CPU tensor memory kept for reuse (the shim's "CPU memory" section). A training step allocates the same
 * sizes every step; through glibc, its large blocks go back to the kernel when freed (mapped blocks are unmapped,
 * and 64-byte aligned ones leave pieces a same-sized request cannot reuse), so every step faults its activations'
 * pages in again, each fault zeroing a 4 KiB page. The shim's allocator keeps freed blocks of 64 KiB and more by
 * size, up to a limit of bytes kept, and hands them out again. The limit is {@link DEFAULT_CACHE_MB} MiB unless
 * `FER_TORCH_CACHE_MB` says otherwise (0: no cache, libtorch's own allocator).
 *
 * Measured on a 2-core AMD EPYC (Zen 4, a VM whose page faults cost ~10 µs), cpu-tiny-gated at 48 px, batch 32, 2
 * threads (hand runs): page faults per training step 2,200–3,600 without the cache, ~340 with it, and the step
 * 69–100 ms against 61–84 ms in pairs of runs on that noisy machine; the main job (1 thread, batch 16) took 150 s
 * against 168 s (results/runs/, 2026-12-07). The cost: up to the limit of freed memory stays with the process.
 *
 * @example
 * ```ts
 * cpuCacheFor({}); // { limitMb: 1024, why: "default" }
 * cpuCacheFor({ FER_TORCH_CACHE_MB: "0" }).limitMb; // 0: off
 * ```
 * @module
 */

/** The default limit of freed memory kept, in MiB. */
export const DEFAULT_CACHE_MB = 1024;

/** The variable that sets the limit. */
export const CACHE_VAR = "FER_TORCH_CACHE_MB";

/** How much freed CPU memory the run keeps for reuse, and why. */
export interface CpuCache {
  /** MiB of freed blocks kept at most; 0: no cache. */
  limitMb: number;
  why: string;
}

/** The cache of `env` (the process's, by default): {@link CACHE_VAR} if set, else the default; throws naming the
 * variable when it is not a whole number of MiB. */
export function cpuCacheFor(env: Record<string, string | undefined> = Deno.env.toObject()): CpuCache {
  const v = env[CACHE_VAR];
  if (v === undefined || v === "") return { limitMb: DEFAULT_CACHE_MB, why: "default" };
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) {
    throw new Error(`${CACHE_VAR}=${v}: expected a whole number of MiB (0 turns the cache off)`);
  }
  return { limitMb: n, why: `${CACHE_VAR}=${v}` };
}
