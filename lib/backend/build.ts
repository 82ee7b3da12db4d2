/**
 * Builds native/fer_kernels.cc into build/ with the system C++ compiler, linked against oneDNN
 * (Debian `libdnnl-dev`) and OpenMP. The output is named after a hash of the source and the flags,
 * so a build is done once per source version and concurrent builders (parallel tests) never see a
 * half-written library: each compiles to a temporary file and renames it into place.
 *
 * @example
 * ```ts
 * const r = await buildNative();
 * if (r.ok) console.log(r.path); else console.error(r.reason);
 * ```
 * @module
 */

/** Result of {@link buildNative}. */
export interface BuildResult {
  ok: boolean;
  /** Absolute path of the shared library (when ok). */
  path: string;
  /** Why the build failed, or "cached"/"built". */
  reason: string;
}

/** Options of {@link buildNative}. */
export interface BuildOptions {
  /** Rebuild even when a library for this source hash exists. */
  force?: boolean;
  /** Project root (default: two folders above this file). */
  root?: string;
  /** Compiler (default: env CXX or "g++"). */
  cxx?: string;
}

const FLAGS = ["-O3", "-march=native", "-std=c++17", "-fopenmp", "-shared", "-fPIC"];
const LIBS = ["-ldnnl"];

/** The project root: where deno.json lives. */
export function projectRoot(): string {
  return new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
}

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

/** Path the library for the current source would have (it may not exist yet). */
export async function nativeLibraryPath(root = projectRoot()): Promise<string> {
  const src = await Deno.readTextFile(`${root}/native/fer_kernels.cc`);
  const hash = await sha256Hex([src, ...FLAGS, ...LIBS].join("\n"));
  return `${root}/build/libfer_kernels-${hash}.so`;
}

/**
 * Compiles the kernels unless a library for this source already exists.
 * Never throws for a missing compiler or library: it returns ok=false with the compiler's message.
 */
export async function buildNative(opts: BuildOptions = {}): Promise<BuildResult> {
  const root = opts.root ?? projectRoot();
  let path: string;
  try {
    path = await nativeLibraryPath(root);
  } catch (e) {
    return { ok: false, path: "", reason: `cannot read native/fer_kernels.cc: ${(e as Error).message}` };
  }
  if (!opts.force) {
    try {
      await Deno.stat(path);
      return { ok: true, path, reason: "cached" };
    } catch { /* not built yet */ }
  }
  await Deno.mkdir(`${root}/build`, { recursive: true });
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const cxx = opts.cxx ?? Deno.env.get("CXX") ?? "g++";
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cxx, {
      args: [...FLAGS, "-o", tmp, `${root}/native/fer_kernels.cc`, ...LIBS],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    return {
      ok: false,
      path: "",
      reason: `C++ compiler "${cxx}" not runnable (${(e as Error).message}); install build-essential`,
    };
  }
  if (out.code !== 0) {
    await Deno.remove(tmp).catch(() => {});
    const msg = new TextDecoder().decode(out.stderr).slice(-1500);
    const hint = /dnnl/.test(msg) ? " (install libdnnl-dev: sudo apt-get install libdnnl-dev)" : "";
    return { ok: false, path: "", reason: `compiling native/fer_kernels.cc failed${hint}:\n${msg}` };
  }
  await Deno.rename(tmp, path);
  return { ok: true, path, reason: "built" };
}
