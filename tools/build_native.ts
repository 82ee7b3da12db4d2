/**
 * `deno task build-native`: compiles native/fer_kernels.cc (oneDNN + OpenMP) and native/torch_shim.cc
 * (against the first libtorch found: FER_TORCH, python3's torch, Debian's libtorch-dev) into build/,
 * once per source version. The backends do the same on first use; this is for install steps.
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
  const { buildTorchShim } = await import("../lib/backend/mod.ts");
  const t = await buildTorchShim({ force: Deno.args.includes("--force") });
  if (t.ok) console.error(`build-native: torch shim ${t.path}\n  ${t.reason}`);
  else console.error(`build-native: torch shim failed — ${t.reason}\nThe torch backend will be unavailable.`);
  Deno.exit(r.ok && t.ok ? 0 : 1);
}
