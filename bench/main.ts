/**
 * `deno task bench [name] [options]`: runs one benchmark, which prints its JSON on stdout.
 * Names: `train` (bench/train.ts), `libtorch` (bench/libtorch.ts: the torch backend on libtorch 1.13 against
 * current PyTorch's), `photos` (bench/real_photos.ts: detection and labels on real photos), `omp-wait`
 * (bench/omp_wait.ts: how libtorch's idle threads should wait), `lbp` (bench/lbp.ts,
 * also the default when the first argument is not a bench name, so `deno task bench --…` keeps running the LBP bench).
 *
 * @example
 * ```sh
 * deno task bench train --sizes 48
 * deno task bench lbp
 * ```
 * @module
 */
const scripts: Record<string, string> = {
  train: "train.ts",
  libtorch: "libtorch.ts",
  lbp: "lbp.ts",
  photos: "real_photos.ts",
  "omp-wait": "omp_wait.ts",
};

const USAGE = `Usage: deno task bench [train|libtorch|photos|omp-wait|lbp] [options]
  train     training and inference img/s of the torch backend against PyTorch (reference net, PyTorch twins)
  libtorch  the torch backend on libtorch 1.13 against current PyTorch's
  photos    faces found and labels on six real group photos against hand-made boxes (bench/real_photos.ts)
  omp-wait  training img/s under each OpenMP waiting policy, idle and beside busy processes
  lbp       LBP images/s here and in scikit-image (the default)
deno task bench NAME --help lists the options of one bench.`;

if (import.meta.main) {
  const [first, ...rest] = Deno.args;
  if (first === "--help" || first === "-h") {
    console.log(USAGE);
    Deno.exit(0);
  }
  const named = first !== undefined && first in scripts;
  const script = new URL(scripts[named ? first : "lbp"], import.meta.url).pathname;
  const args = named ? rest : Deno.args;
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  Deno.exit(code);
}
