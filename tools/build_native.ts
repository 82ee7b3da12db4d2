/**
 * `deno task build-native`: compiles native/torch_shim.cc, the torch backend's shim, against the first
 * libtorch found (FER_TORCH, python3's torch, Debian's libtorch-dev) into build/, once per source and
 * libtorch. The backend does the same on first use; this is for install steps.
 *
 * @example
 * ```sh
 * deno task build-native           # build if needed
 * deno task build-native --force   # rebuild
 * ```
 * @module
 */
import { buildTorchShim } from "../lib/backend/mod.ts";

if (import.meta.main) {
  const t = await buildTorchShim({ force: Deno.args.includes("--force") });
  if (t.ok) console.error(`build-native: torch shim ${t.path}\n  ${t.reason}`);
  else console.error(`build-native: torch shim failed — ${t.reason}\nThe torch backend will be unavailable.`);
  Deno.exit(t.ok ? 0 : 1);
}
