/**
 * `deno task build-native`: compiles native/fer_kernels.cc (oneDNN + OpenMP) into build/, once per
 * source version. registerNativeBackend() does the same on first use; this is for install steps.
 *
 * @example
 * ```sh
 * deno task build-native           # build if needed
 * deno task build-native --force   # rebuild
 * ```
 * @module
 */
import { buildNative } from "../lib/backend/mod.ts";

if (import.meta.main) {
  const r = await buildNative({ force: Deno.args.includes("--force") });
  if (r.ok) console.error(`build-native: ${r.reason} ${r.path}`);
  else {console.error(
      `build-native: failed — ${r.reason}\nThe fer-native backend will be unavailable (tfjs's cpu backend still works).`,
    );}
  Deno.exit(r.ok ? 0 : 1);
}
