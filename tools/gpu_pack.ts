/**
 * `deno task gpu-pack`: puts into build/gpu/ everything tools/gpu_device.sh needs on a GPU machine that
 * has no network and nothing installed: gpu-check.js (tools/gpu_check.ts bundled with its npm
 * dependencies), torch-tests.js (the torch backend's tests, tools/torch_device_tests.ts, bundled;
 * the shim itself is compiled there, against that machine's PyTorch, from native/torch_shim.cc),
 * deno.xz (this deno binary, xz-compressed; about 31 MB), and dataset packs at 48×48
 * (synthetic faces, and CK+48 at 48 and 96 when the dataset folder is there). Copy the repository
 * with build/gpu/ to the GPU box and run `bash tools/gpu_device.sh` there.
 *
 * @example
 * ```sh
 * deno task gpu-pack                     # then: rsync -a . gpu-box:fer && ssh gpu-box 'cd fer && bash tools/gpu_device.sh'
 * deno task gpu-pack --root ../shared/datasets
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import { datasetsRoot, loadDataset, writePack } from "../lib/data/mod.ts";
import { scriptArgs } from "./args.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

async function run(cmd: string, args: string[], opts: { stdout?: string } = {}): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd: ROOT, stdout: "piped", stderr: "piped" }).output().catch((e) => {
    if (e instanceof Deno.errors.NotFound) throw new Error(`gpu-pack needs ${cmd} on PATH (xz: Debian's xz-utils)`);
    throw e;
  });
  if (out.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).slice(-800)}`);
  if (opts.stdout) await Deno.writeFile(opts.stdout, out.stdout);
}

/** Builds build/gpu/; returns the files written. */
export async function gpuPack(opts: { root?: string; out?: string } = {}): Promise<string[]> {
  const out = opts.out ?? `${ROOT}build/gpu`;
  await Deno.mkdir(out, { recursive: true });
  await run(Deno.execPath(), ["bundle", "--platform", "deno", "-o", `${out}/gpu-check.js`, "tools/gpu_check.ts"]);
  await run(Deno.execPath(), [
    ...["bundle", "--platform", "deno", "-o", `${out}/torch-tests.js`, "tools/torch_device_tests.ts"],
  ]);
  await run("xz", ["-T0", "-6", "-c", Deno.execPath()], { stdout: `${out}/deno.xz` });
  const files = [`${out}/gpu-check.js`, `${out}/torch-tests.js`, `${out}/deno.xz`];
  await writePack(await loadDataset({ dataset: "synthetic", n: 2100, size: 48, seed: 1 }), {
    out: `${out}/synthetic48.ferpack`,
    size: 48,
  });
  files.push(`${out}/synthetic48.ferpack`);
  const base = opts.root ?? datasetsRoot();
  const ck = `${base}/ckplus48`;
  const haveCk = base !== null && await Deno.stat(ck).then(() => true, () => false);
  if (haveCk) {
    const ds = await loadDataset({ dataset: "ckplus", root: ck });
    for (const size of [48, 96]) {
      await writePack(ds, { out: `${out}/ckplus${size}.ferpack`, size });
      files.push(`${out}/ckplus${size}.ferpack`);
    }
  } else console.error(`gpu-pack: ${ck} not found, no CK+ packs`);
  return files;
}

if (import.meta.main) {
  const { values } = scriptArgs(Deno.args, {
    command: "deno task gpu-pack",
    summary: "Puts into build/gpu/ what tools/gpu_device.sh needs on an offline GPU machine: the gpu-check and " +
      "torch-test bundles, this deno binary (xz) and dataset packs.",
    options: {
      root: { type: "string", help: "the datasets folder whose ckplus48/ is packed (default: the datasets root)" },
      out: { type: "string", help: "the folder written (default: build/gpu)" },
    },
  });
  for (const f of await gpuPack(values)) console.log(`${f}  ${((await Deno.stat(f)).size / 2 ** 20).toFixed(1)} MiB`);
}
