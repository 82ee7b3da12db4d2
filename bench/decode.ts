/**
 * Decode + resize throughput on FER2013 PublicTest (3589 JPEGs), printed as JSON lines.
 *
 * @example
 * ```sh
 * deno run -A bench/decode.ts [--size 48,64] [--concurrency 8]
 * ```
 * @module
 */
import { join } from "node:path";
import { loadFer2013Folders } from "../lib/data/fer2013.ts";
import { datasetsRoot, decodeImage, type ResizeMethod } from "../lib/data/mod.ts";
import { scriptArgs } from "../tools/args.ts";

const { values } = scriptArgs(Deno.args, {
  command: "deno run -A bench/decode.ts",
  summary: "Decode + resize images/s on FER2013 PublicTest (needs ../shared/datasets), as JSON lines.",
  options: {
    size: { type: "string", default: "48,64,100", help: "target sizes in pixels, comma list" },
    concurrency: { type: "number", default: 8, min: 1, integer: true, help: "concurrent decodes" },
  },
});
const root = datasetsRoot();
if (!root) {
  console.error("bench/decode: no ../shared/datasets (set FER_DATA)");
  Deno.exit(2);
}
const ds = loadFer2013Folders({ root: join(root, "fer2013"), splits: ["PublicTest"] });
const paths = ds.samples.map((s) => s.path);
const concurrency = values.concurrency;

async function run(size: number, method: ResizeMethod, workers: number): Promise<number> {
  let next = 0, checksum = 0;
  const worker = async () => {
    while (next < paths.length) {
      const img = await decodeImage(paths[next++], { size, resize: method });
      checksum += img.data[0];
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = (performance.now() - t) / 1000;
  if (checksum < 0) throw new Error("unreachable");
  return seconds;
}

await run(48, "area", concurrency); // warm-up (file cache, sharp thread pool)
for (const size of values.size.split(",").map(Number)) {
  for (const method of ["area", "bilinear"] as const) {
    for (const workers of [1, concurrency]) {
      const seconds = await run(size, method, workers);
      console.log(JSON.stringify({
        bench: "decode+resize FER2013 PublicTest",
        images: paths.length,
        size,
        method,
        concurrency: workers,
        seconds: +seconds.toFixed(3),
        imagesPerSecond: Math.round(paths.length / seconds),
      }));
    }
  }
}
