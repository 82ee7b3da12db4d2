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
import { scriptArgs } from "./args.ts";

if (import.meta.main) {
  const { values } = scriptArgs(Deno.args, {
    command: "deno task build-native",
    summary: "Compiles the torch backend's shim (native/torch_shim.cc) against the first libtorch found into build/.",
    options: { force: { type: "boolean", help: "rebuild even when build/ has the shim of this source and libtorch" } },
  });
  const t = await buildTorchShim({ force: values.force });
  if (t.ok) console.error(`build-native: torch shim ${t.path}\n  ${t.reason}`);
  else console.error(`build-native: torch shim failed — ${t.reason}\nThe torch backend will be unavailable.`);
  Deno.exit(t.ok ? 0 : 1);
}
