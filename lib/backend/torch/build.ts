/**
 * Finds a libtorch and builds native/torch_shim.cc against it into build/, cached by a hash of the
 * source, the flags and the libtorch found. The first libtorch found wins:
 *
 * 1. `FER_TORCH=<dir>`: a libtorch folder with include/ and lib/ (the libtorch zip, or a Python
 *    torch package folder); its C++ ABI is read from its libc10.so;
 * 2. the torch of `python3` (`FER_PYTHON` overrides the interpreter): pip and conda installs,
 *    with CUDA; include/lib dirs and `torch._C._GLIBCXX_USE_CXX11_ABI` come from it;
 * 3. Debian's `libtorch-dev` (headers under /usr/include/torch, libraries on the default path).
 *
 * The result says which one was used and why the ones before it were skipped.
 *
 * @example
 * ```ts
 * const r = await buildTorchShim();
 * console.error(r.ok ? `${r.path} (${r.reason})` : r.reason);
 * ```
 * @module
 */
import { sha256Hex16 } from "../../util/hash.ts";
import { projectRoot } from "../../util/root.ts";

/** A libtorch installation the shim can be compiled against. */
export interface TorchInstall {
  /** Where it came from: "FER_TORCH", "python3" or "debian". */
  source: "FER_TORCH" | "python3" | "debian";
  /** Torch version (e.g. "1.13.1", "2.11.0+cu130"), or "unknown". */
  version: string;
  includeDirs: string[];
  /** Folder of libtorch*.so, or "" for the linker's default path. */
  libDir: string;
  /** `_GLIBCXX_USE_CXX11_ABI` the library was built with. */
  cxx11Abi: 0 | 1;
  /** Whether libtorch_cuda.so is there (a CUDA build). */
  cuda: boolean;
  /** The C++ standard its headers need: its TorchConfig.cmake's CXX_STANDARD (14 for 1.13, 20 for 2.13), at least 17,
   * which the shim is written in. */
  cxxStd: number;
}

/** Result of {@link buildTorchShim}. */
export interface TorchBuildResult {
  ok: boolean;
  /** Absolute path of the shared library (when ok). */
  path: string;
  /** What was found and whether it was cached or built; or why it failed. */
  reason: string;
  install?: TorchInstall;
}

/** Options of {@link buildTorchShim}. */
export interface TorchBuildOptions {
  /** Rebuild even when a library for this hash exists. */
  force?: boolean;
  /** Project root, with native/torch_shim.cc (default: env FER_ROOT, else where deno.json lives;
   * a bundled script, as on the GPU box, is told with FER_ROOT). */
  root?: string;
  /** Environment to read FER_TORCH / FER_PYTHON from (default: the process's). */
  env?: Record<string, string | undefined>;
  /** Told what is compiled, before the compiler starts (a fresh clone waits ~10 s for it). */
  onCompile?: (message: string) => void;
}

const FLAGS = ["-O2", "-shared", "-fPIC", "-Wno-deprecated-declarations"];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
}

async function abiOf(libDir: string): Promise<0 | 1> {
  const bytes = await Deno.readFile(`${libDir}/libc10.so`);
  const text = new TextDecoder("latin1").decode(bytes);
  return text.includes("St7__cxx11") ? 1 : 0;
}

/** The C++ standard a TorchConfig.cmake asks of its users (1.13: 14, 2.13: 20), raised to the shim's 17. */
async function cxxStdOf(cmakeDir: string): Promise<number> {
  const config = await Deno.readTextFile(`${cmakeDir}/TorchConfig.cmake`).catch(() => "");
  return Math.max(17, Number(config.match(/CXX_STANDARD\s+(\d+)/)?.[1] ?? 17));
}

async function fromDir(dir: string): Promise<TorchInstall> {
  const inc = `${dir}/include`, lib = `${dir}/lib`;
  if (!(await exists(`${inc}/ATen/ATen.h`))) throw new Error(`${inc}/ATen/ATen.h not found`);
  if (!(await exists(`${lib}/libc10.so`))) throw new Error(`${lib}/libc10.so not found`);
  let version = "unknown";
  const v = await Deno.readTextFile(`${inc}/torch/csrc/api/include/torch/version.h`).catch(() => "");
  const m = v.match(/TORCH_VERSION\s+(?:\\\s*)?"([^"]+)"/);
  if (m) version = m[1];
  return {
    source: "FER_TORCH",
    version,
    includeDirs: [inc, `${inc}/torch/csrc/api/include`],
    libDir: lib,
    cxx11Abi: await abiOf(lib),
    cuda: await exists(`${lib}/libtorch_cuda.so`),
    cxxStd: await cxxStdOf(`${dir}/share/cmake/Torch`),
  };
}

const PY_PROBE = [
  "import json, os, torch",
  "d = os.path.dirname(torch.__file__)",
  "print(json.dumps({'version': torch.__version__, 'dir': d, 'abi': int(torch._C._GLIBCXX_USE_CXX11_ABI)}))",
].join("\n");

async function fromPython(python: string): Promise<TorchInstall> {
  let r;
  try {
    r = await run(python, ["-c", PY_PROBE]);
  } catch (e) {
    throw new Error(`${python} not runnable (${(e as Error).message})`);
  }
  if (r.code !== 0) {
    const last = r.err.trim().split("\n").pop() ?? "";
    throw new Error(`${python} has no usable torch (${last})`);
  }
  const p = JSON.parse(r.out.trim().split("\n").pop()!) as { version: string; dir: string; abi: number };
  const inc = `${p.dir}/include`;
  if (!(await exists(`${inc}/ATen/ATen.h`))) throw new Error(`torch ${p.version} at ${p.dir} has no C++ headers`);
  const lib = `${p.dir}/lib`;
  const hasLib = await exists(`${lib}/libc10.so`);
  return {
    source: "python3",
    version: p.version,
    includeDirs: [inc, `${inc}/torch/csrc/api/include`],
    libDir: hasLib ? lib : "", // Debian's python3-torch links the system libtorch
    cxx11Abi: p.abi ? 1 : 0,
    cuda: hasLib && await exists(`${lib}/libtorch_cuda.so`),
    cxxStd: await cxxStdOf(hasLib ? `${p.dir}/share/cmake/Torch` : DEBIAN_CMAKE),
  };
}

const DEBIAN_CMAKE = `/usr/lib/${Deno.build.arch}-linux-gnu/cmake/Torch`; // the multiarch triplet

async function fromDebian(): Promise<TorchInstall> {
  const api = "/usr/include/torch/csrc/api/include";
  if (!(await exists(`${api}/torch/cuda.h`))) {
    throw new Error("Debian's libtorch-dev is not installed (sudo apt-get install libtorch-dev)");
  }
  const v = await Deno.readTextFile(`${api}/torch/version.h`).catch(() => "");
  return {
    source: "debian",
    version: v.match(/TORCH_VERSION\s+(?:\\\s*)?"([^"]+)"/)?.[1] ?? "unknown",
    includeDirs: ["/usr/include", api],
    libDir: "",
    cxx11Abi: 1,
    cuda: false,
    cxxStd: await cxxStdOf(DEBIAN_CMAKE),
  };
}

/** Finds the libtorch to build against, in the documented order; `skipped` collects the reasons. */
export async function findTorch(
  env: Record<string, string | undefined> = Deno.env.toObject(),
  skipped: string[] = [],
): Promise<TorchInstall | null> {
  const tries: [string, () => Promise<TorchInstall>][] = [];
  if (env.FER_TORCH) tries.push([`FER_TORCH=${env.FER_TORCH}`, () => fromDir(env.FER_TORCH!)]);
  else skipped.push("FER_TORCH is not set");
  const python = env.FER_PYTHON ?? "python3";
  tries.push([python, () => fromPython(python)], ["libtorch-dev", fromDebian]);
  for (const [name, f] of tries) {
    try {
      return await f();
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message}`);
    }
  }
  return null;
}

/** The compiler arguments for an install (without the output and source paths). */
export function compileArgs(t: TorchInstall): string[] {
  const libs = ["-ltorch", "-ltorch_cpu", "-lc10", ...(t.cuda ? ["-ltorch_cuda", "-lc10_cuda"] : [])];
  return [
    ...FLAGS,
    `-std=c++${t.cxxStd}`,
    `-D_GLIBCXX_USE_CXX11_ABI=${t.cxx11Abi}`,
    ...t.includeDirs.map((d) => `-I${d}`),
    ...(t.libDir ? [`-L${t.libDir}`, `-Wl,-rpath,${t.libDir}`] : []),
    // libtorch_cuda registers CUDA with ATen from its static initialisers: keep it linked.
    "-Wl,--no-as-needed",
    ...libs,
  ];
}

/** Finds libtorch and compiles the shim unless a library for this source and libtorch exists. */
export async function buildTorchShim(opts: TorchBuildOptions = {}): Promise<TorchBuildResult> {
  const root = opts.root ?? Deno.env.get("FER_ROOT") ?? projectRoot();
  const skipped: string[] = [];
  const install = await findTorch(opts.env ?? Deno.env.toObject(), skipped);
  if (!install) return { ok: false, path: "", reason: `no libtorch found: ${skipped.join("; ")}` };
  const found = `libtorch ${install.version} from ${install.source}` +
    (install.libDir ? ` (${install.libDir})` : "") + `, C++11 ABI ${install.cxx11Abi}` +
    (install.cuda ? ", CUDA build" : ", CPU build") +
    (skipped.length ? `; skipped: ${skipped.join("; ")}` : "");
  const srcPath = `${root}/native/torch_shim.cc`;
  let src: string;
  try {
    src = await Deno.readTextFile(srcPath);
  } catch (e) {
    return { ok: false, path: "", reason: `cannot read ${srcPath}: ${(e as Error).message}`, install };
  }
  const args = compileArgs(install);
  const hash = sha256Hex16([src, install.version, ...args].join("\n"));
  const path = `${root}/build/libfer_torch-${hash}.so`;
  if (!opts.force && await exists(path)) return { ok: true, path, reason: `${found}: cached`, install };
  await Deno.mkdir(`${root}/build`, { recursive: true });
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const cxx = Deno.env.get("CXX") ?? "g++";
  opts.onCompile?.(`compiling ${srcPath} against libtorch ${install.version} (once per source and libtorch) …`);
  let r;
  try {
    r = await run(cxx, ["-o", tmp, srcPath, ...args]);
  } catch (e) {
    return {
      ok: false,
      path: "",
      reason: `C++ compiler "${cxx}" not runnable (${(e as Error).message}); install build-essential`,
      install,
    };
  }
  if (r.code !== 0) {
    await Deno.remove(tmp).catch(() => {});
    return {
      ok: false,
      path: "",
      reason: `compiling ${srcPath} against ${found} failed:\n${r.err.slice(-1500)}`,
      install,
    };
  }
  await Deno.rename(tmp, path);
  return { ok: true, path, reason: `${found}: built`, install };
}
