/**
 * LBP speed on all FER2013 PublicTest images: images/s per operator here and in scikit-image
 * (same pixels, same run), printed as JSON. Without the datasets it times 3,589 synthetic 48×48 faces
 * instead, and says so in the JSON's `source` (chapter 02 shows this JSON). Rates are images per second of process CPU time (best of
 * `--reps` passes, both sides), so that a busy shared machine disturbs them less than wall time. `original` has no scikit-image twin and is compared
 * with scikit-image's `default` at P=8, R=1.
 *
 * With `--out <file>` it also writes the JSON as a record (results/bench/, with the commit and the machine as
 * `lscpu` names it with its load: bench/record.ts).
 *
 * Usage: `deno task bench` (or `deno run -A bench/lbp.ts [--reps N] [--limit N] [--out results/bench/lbp-….json]`).
 * @module
 */
import { cpuUsage } from "node:process";
import { datasetsRoot, decodeImage, type GrayImage, isDir, syntheticDataset } from "../lib/data/mod.ts";
import {
  lbp,
  type LbpOptions,
  listImages,
  SKIMAGE_METHOD,
  skimageBench,
  type SkimageConfig,
} from "../lib/features/mod.ts";
import { Progress } from "../lib/util/mod.ts";
import { startRecord } from "./record.ts";
import { scriptArgs } from "../tools/args.ts";

const { values } = scriptArgs(Deno.args, {
  command: "deno task bench lbp",
  summary: "LBP images/s per operator here and in scikit-image on FER2013 PublicTest (else synthetic faces), as JSON.",
  options: {
    reps: {
      type: "number",
      default: 5,
      min: 1,
      integer: true,
      help: "passes per operator, both sides (the best counts)",
    },
    limit: { type: "number", min: 1, integer: true, help: "time only the first N images (default all)" },
    out: { type: "string", help: "also write the JSON as a record with the machine and load to this file" },
  },
});
const reps = values.reps, limit = values.limit;
const run = values.out ? startRecord(`deno run -A bench/lbp.ts ${Deno.args.join(" ")}`) : null;
const root = datasetsRoot();
const publicTest = root ? `${root}/fer2013/PublicTest` : null;
const images: GrayImage[] = [];
let source: string;
if (publicTest && isDir(publicTest)) {
  source = "FER2013 PublicTest";
  const files = listImages(publicTest).slice(0, limit);
  const progress = new Progress({ label: "decode PublicTest", total: files.length, unit: "img" });
  for (const f of files) {
    images.push(await decodeImage(f));
    progress.tick(1);
  }
  progress.done();
} else {
  source = "synthetic faces (no FER2013 PublicTest found: set FER_DATA or provide ../shared/datasets)";
  const ds = syntheticDataset({ n: limit ?? 3589, size: 48, seed: 2013 });
  for (const s of ds.samples) images.push(await ds.load(s));
}

const ops: { name: string; opts: LbpOptions; twin: SkimageConfig }[] = [
  { name: "original", opts: { method: "original" }, twin: { method: "circle", points: 8, radius: 1 } },
];
for (const method of ["circle", "uniform", "riu2", "ror"] as const) {
  for (const [points, radius] of [[8, 1], [16, 2]]) {
    ops.push({
      name: `${method} P=${points} R=${radius}`,
      opts: { method, points, radius },
      twin: { method, points, radius },
    });
  }
}

function timeOurs(opts: LbpOptions): number {
  for (let k = 0; k < Math.min(50, images.length); k++) lbp(images[k], opts); // JIT warm-up
  let best = Infinity;
  for (let rep = 0; rep < reps; rep++) {
    const t0 = cpuUsage();
    for (const img of images) lbp(img, opts);
    const used = cpuUsage(t0);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return images.length / best;
}

// Interleaved per operator (ours, then scikit-image) so that load drift on a shared machine hits both alike.
const ours: number[] = [];
const theirs: number[] = [];
let skimageVersion = "";
const timing = new Progress({ label: "bench lbp", total: ops.length, unit: "op" });
for (const op of ops) {
  ours.push(timeOurs(op.opts));
  const sk = await skimageBench(images, [op.twin], reps);
  skimageVersion = sk.version;
  theirs.push(sk.timings[0].imagesPerS);
  timing.tick(1, { op: op.name });
}
timing.done();

const results = ops.map((op, k) => ({
  operator: op.name,
  images_per_s: Math.round(ours[k]),
  skimage_images_per_s: Math.round(theirs[k]),
  skimage_method: `${SKIMAGE_METHOD[op.twin.method]} P=${op.twin.points} R=${op.twin.radius}`,
  ratio: Number((ours[k] / theirs[k]).toFixed(2)),
}));
const output = {
  bench: "lbp",
  source,
  images: images.length,
  rate: "images per CPU-second, best of reps",
  reps,
  skimage: skimageVersion,
  deno: Deno.version.deno,
  results,
};
console.log(JSON.stringify(run ? await run.write(values.out!, output) : output, null, 2));
