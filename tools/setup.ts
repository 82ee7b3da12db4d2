/**
 * Installs what the tests and notebooks need beyond npm packages, once, idempotently:
 * Debian packages (Jupyter pieces, scikit-image as the LBP reference, fonts), the Deno Jupyter
 * kernel, and current PyTorch in build/torch2-venv (pip), which the torch backend's tests also run on.
 * Run by `deno task test` and `.ci/run`; safe to run again (it only installs what is missing).
 *
 * @example
 * ```sh
 * deno run -A tools/setup.ts            # tests' needs
 * deno run -A tools/setup.ts --bench    # also PyTorch for the speed reference
 * deno run -A tools/setup.ts --native   # only the torch backend's shim (what `deno task main` needs)
 * ```
 * @module
 */
// build.ts, not the backend's mod.ts: that one loads tfjs, and `--native` runs with `--no-npm` so that the npm
// install can run beside the compile.
import { buildTorchShim, findTorch } from "../lib/backend/torch/build.ts";
import { makeTorchVenv } from "../lib/backend/torch/venv.ts";
import { scriptArgs } from "./args.ts";

/** Debian packages the test suite needs. */
export const TEST_PACKAGES = [
  "python3-skimage",
  "jupyter-core",
  "jupyter-client",
  "jupyter-nbconvert",
  "python3-nbclient",
  "python3-ipykernel",
  "python3-nbformat", // the notebooks' schema check (tests/notebooks_saved_test.ts)
  "python3-venv", // build/torch2-venv, current PyTorch for the torch backend's tests (tests/torch2_test.ts)
  "jupyter-notebook", // serves the chapters to the browser test (tests/notebooks_browser_test.ts)
  "chromium", // opens them there, headless
  "fonts-dejavu-core",
  "build-essential",
  "libopenblas-dev",
  "libtorch-dev", // the torch backend's libtorch when no Python torch is there (lib/backend/torch/build.ts)
  "python3-torch", // the PyTorch twin of our network, checked against it (tests/twin_test.ts)
  "mesa-vulkan-drivers", // the software Vulkan adapter WebGPU tests train on (lib/engine/webgpu_test.ts)
];

/**
 * A one-node Slurm cluster the grid's submission is tested on (tests/slurm_test.ts, tools/slurm_local.ts).
 * Optional: where they cannot be installed, that test skips and says so.
 */
export const CLUSTER_PACKAGES = ["slurmctld", "slurmd", "slurm-client", "munge"];

/** What the torch backend's shim needs: a C++ compiler, and libtorch unless a Python torch is there. */
export const NATIVE_PACKAGES = ["build-essential"];
/** The libtorch installed when `python3` has no torch (lib/backend/torch/build.ts finds either). */
export const LIBTORCH_PACKAGES = ["libtorch-dev"];

/** Extra packages for `deno task bench` (the PyTorch speed reference). */
export const BENCH_PACKAGES = ["python3-torch"];

async function sh(
  cmd: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; stdout: string }> {
  const p = new Deno.Command(cmd[0], { args: cmd.slice(1), env, stdout: "piped", stderr: "piped" });
  const r = await p.output();
  const dec = new TextDecoder();
  const stdout = dec.decode(r.stdout);
  return { code: r.code, out: stdout + dec.decode(r.stderr), stdout };
}

/** Which of the given Debian packages are not installed. */
export async function missingPackages(pkgs: string[]): Promise<string[]> {
  const r = await sh(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\\n", ...pkgs]);
  const ok = new Set(r.out.split("\n").filter((l) => l.endsWith(" installed")).map((l) => l.split(" ")[0]));
  return pkgs.filter((p) => !ok.has(p));
}

async function ensurePackages(pkgs: string[]): Promise<void> {
  const missing = await missingPackages(pkgs);
  if (missing.length === 0) return;
  if (Deno.uid() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(" ")}. Install them: sudo apt-get install ${missing.join(" ")}`,
    );
  }
  console.error(`setup: installing ${missing.join(" ")} …`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  let r = await sh(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing], env);
  if (r.code !== 0) {
    await sh(["apt-get", "update", "-qq"], env);
    r = await sh(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing], env);
  }
  if (r.code !== 0) throw new Error(`apt-get install failed:\n${r.out.slice(-2000)}`);
}

async function ensureKernel(): Promise<void> {
  const r = await sh(["jupyter", "kernelspec", "list", "--json"]);
  const specs = r.code === 0 ? JSON.parse(r.stdout).kernelspecs ?? {} : {};
  const argv0: string | undefined = specs.deno?.spec?.argv?.[0];
  if (argv0 === Deno.execPath()) return;
  const k = await sh([Deno.execPath(), "jupyter", "--install", "--force"]);
  if (k.code !== 0) throw new Error(`deno jupyter --install failed:\n${k.out}`);
  console.error(`setup: registered the Deno Jupyter kernel (${Deno.execPath()})`);
}

/** Populates node_modules from deno.json (the peers read model files from their npm packages). */
async function ensureNpm(): Promise<void> {
  const r = await sh([Deno.execPath(), "install"]);
  if (r.code !== 0) throw new Error(`deno install failed:\n${r.out}`);
}

async function setupNativeOnly(): Promise<void> {
  try {
    // Probing python3's torch takes seconds: only when Debian's libtorch is not there already.
    const needLibtorch = (await missingPackages(LIBTORCH_PACKAGES)).length > 0 && !(await findTorch());
    await ensurePackages(needLibtorch ? [...NATIVE_PACKAGES, ...LIBTORCH_PACKAGES] : NATIVE_PACKAGES);
  } catch (err) {
    console.error(`setup: ${err instanceof Error ? err.message : err}`);
  }
}

/** Builds the torch backend's shim (libtorch's kernels via FFI), the fast CPU path `auto` picks; a failure only
 * costs speed, so it warns and goes on. */
async function ensureShim(): Promise<void> {
  const torch = await buildTorchShim({ onCompile: (m) => console.error(`setup: ${m}`) });
  if (!torch.ok) {
    console.error(
      `setup: the torch backend's shim was not built, training will use the slow cpu backend:\n${torch.reason}`,
    );
  }
}

/** Current PyTorch in build/torch2-venv and the shim built against it: the torch backend's tests run on it too.
 * Without it (no pip index) those tests are ignored, naming the reason kept in build/torch2-venv.error. */
async function ensureTorch2(): Promise<void> {
  const v = await makeTorchVenv({ onStep: (m) => console.error(`setup: ${m}`) });
  if (!v.ok) return console.error(`setup: no torch 2.x for the torch backend's tests: ${v.reason}`);
  const torch = await buildTorchShim({
    env: { FER_PYTHON: v.python },
    onCompile: (m) => console.error(`setup: ${m}`),
  });
  if (!torch.ok) console.error(`setup: the shim against torch ${v.version} was not built:\n${torch.reason}`);
}

if (import.meta.main) {
  const { values } = scriptArgs(Deno.args, {
    command: "deno task setup",
    summary: "Installs what the tests and notebooks need beyond npm packages (Debian packages, the Deno Jupyter " +
      "kernel, the torch shim, current PyTorch in build/torch2-venv); only what is missing.",
    options: {
      bench: { type: "boolean", help: "also the Debian packages of `deno task bench` (the PyTorch reference)" },
      native: {
        type: "boolean",
        help: "only the npm packages and the torch backend's shim (what `deno task main` needs)",
      },
    },
  });
  const bench = values.bench;
  if (values.native) {
    // The main job: the torch backend is worth installing, but its absence only costs speed. The npm packages
    // download (one core, the network) while the shim compiles (the other core): a fresh clone's first
    // `deno task main` waits for the slower of the two, not their sum.
    await Promise.all([ensureNpm(), setupNativeOnly().then(ensureShim)]);
  } else {
    await ensureNpm();
    await ensurePackages(bench ? [...TEST_PACKAGES, ...BENCH_PACKAGES] : TEST_PACKAGES);
    await ensurePackages(CLUSTER_PACKAGES).catch((err) =>
      console.error(`setup: no Slurm, so tests/slurm_test.ts will skip: ${err instanceof Error ? err.message : err}`)
    );
    await ensureKernel();
    await ensureShim();
    await ensureTorch2();
  }
}
