/**
 * The project's own current PyTorch: a Python virtual environment under build/ with `pip install torch numpy` from
 * whatever index pip is configured with. `deno task setup` makes it; the torch backend's tests run on it beside
 * Debian's libtorch 1.13 (tests/torch2_test.ts), and `deno task bench train` takes it as its speed reference.
 * Where pip cannot install it, the reason is kept beside it (build/torch2-venv.error) for the tests to name.
 *
 * @example
 * ```ts
 * const v = await makeTorchVenv({ onStep: console.error });
 * if (v.ok) console.error(`torch ${v.version} in ${v.python}`);
 * ```
 * @module
 */
import { projectRoot } from "../../util/root.ts";

/** The venv's folder, relative to the project root. */
export const TORCH_VENV = "build/torch2-venv";

/** What {@link torchVenv} and {@link makeTorchVenv} found. */
export interface TorchVenv {
  ok: boolean;
  /** Its interpreter (set also when not ok). */
  python: string;
  /** torch's version in it, e.g. "2.13.0+cpu" (when ok). */
  version: string;
  /** Why there is no torch in it (when not ok): pip's last words, or that it was never made. */
  reason: string;
}

/** Options of {@link torchVenv} and {@link makeTorchVenv}. */
export interface TorchVenvOptions {
  /** Project root (default: where deno.json lives). */
  root?: string;
  /** The Python that makes the venv (default: Debian's /usr/bin/python3 where there, else python3). */
  python?: string;
  /** Told each step before it starts (the install takes minutes). */
  onStep?: (message: string) => void;
}

/** The venv's torch, read from its files (no Python started): ok when torch is installed there. */
export async function torchVenv(opts: TorchVenvOptions = {}): Promise<TorchVenv> {
  const dir = `${opts.root ?? projectRoot()}/${TORCH_VENV}`;
  const python = `${dir}/bin/python`;
  try {
    for await (const e of Deno.readDir(`${dir}/lib`)) {
      const v = await Deno.readTextFile(`${dir}/lib/${e.name}/site-packages/torch/version.py`).catch(() => "");
      const version = v.match(/^__version__\s*=\s*['"]([^'"]+)['"]/m)?.[1];
      // the PyTorch twin (bench/twin_net.py) needs numpy beside torch, which pip's torch does not pull in
      const numpy = await Deno.stat(`${dir}/lib/${e.name}/site-packages/numpy/__init__.py`).then(
        () => true,
        () => false,
      );
      if (version && numpy) return { ok: true, python, version, reason: "" };
      if (version) {
        return {
          ok: false,
          python,
          version,
          reason: `${TORCH_VENV} has torch ${version} but no numpy: \`deno task setup\` installs it`,
        };
      }
    }
  } catch { /* no venv: said below */ }
  const error = await Deno.readTextFile(`${dir}.error`).catch(() => "");
  return {
    ok: false,
    python,
    version: "",
    reason: error.trim() || `${TORCH_VENV} has no torch: \`deno task setup\` installs it there with pip`,
  };
}

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: o.code, out: dec.decode(o.stdout) + dec.decode(o.stderr) };
  } catch (e) {
    return { code: -1, out: `${cmd} not runnable (${(e as Error).message})` };
  }
}

/**
 * Makes the venv and installs torch into it with pip, unless torch is there already; on failure keeps the reason
 * in build/torch2-venv.error and returns it.
 */
export async function makeTorchVenv(opts: TorchVenvOptions = {}): Promise<TorchVenv> {
  const root = opts.root ?? projectRoot();
  const have = await torchVenv({ root });
  if (have.ok) return have;
  const dir = `${root}/${TORCH_VENV}`;
  const base = opts.python ?? (await Deno.stat("/usr/bin/python3").then(() => "/usr/bin/python3", () => "python3"));
  const fail = async (step: string, out: string): Promise<TorchVenv> => {
    const last = out.trim().split("\n").filter((l) => !l.includes("Retrying")).slice(-3).join(" / ");
    const reason = `${step} failed: ${last}`;
    await Deno.writeTextFile(`${dir}.error`, reason + "\n");
    return { ok: false, python: have.python, version: "", reason };
  };
  await Deno.mkdir(`${root}/build`, { recursive: true });
  opts.onStep?.(`making ${TORCH_VENV} with ${base} -m venv …`);
  const venv = await run(base, ["-m", "venv", dir]);
  if (venv.code !== 0) return fail(`${base} -m venv ${TORCH_VENV}`, venv.out);
  opts.onStep?.(`pip install torch numpy into ${TORCH_VENV} (from pip's configured index; ~900 MB for a CPU build) …`);
  const pip = await run(`${dir}/bin/pip`, ["install", "--quiet", "torch", "numpy"]);
  if (pip.code !== 0) return fail(`${TORCH_VENV}/bin/pip install torch numpy`, pip.out);
  await Deno.remove(`${dir}.error`).catch(() => {});
  const made = await torchVenv({ root });
  return made.ok ? made : fail(`${TORCH_VENV}/bin/pip install torch numpy`, made.reason);
}
