/**
 * Bridge to scikit-image's `local_binary_pattern` through Debian's `/usr/bin/python3`, for golden
 * tests and the speed benchmark. Images travel as raw bytes, so both sides see identical pixels.
 *
 * @example
 * ```ts
 * const [[codes]] = await skimageLbp([img], [{ method: "riu2", points: 8, radius: 1 }]);
 * ```
 * @module
 */
import type { GrayImage } from "./gray.ts";
import type { LbpMethod } from "./lbp.ts";

/** The interpreter that has python3-skimage (not the pyenv python first on PATH). */
export const SYSTEM_PYTHON = "/usr/bin/python3";

const SCRIPT = new URL("../../bench/lbp_skimage.py", import.meta.url).pathname;

/** scikit-image's method name for each of ours (`original` has none). */
export const SKIMAGE_METHOD: Record<Exclude<LbpMethod, "original">, string> = {
  circle: "default",
  uniform: "nri_uniform",
  riu2: "uniform",
  ror: "ror",
};

/** One scikit-image configuration. */
export interface SkimageConfig {
  method: Exclude<LbpMethod, "original">;
  points: number;
  radius: number;
}

/** True when `/usr/bin/python3` can import skimage. */
export async function hasSkimage(): Promise<boolean> {
  try {
    const out = await new Deno.Command(SYSTEM_PYTHON, { args: ["-c", "import skimage"], stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** Serialises images as the pack format read by `bench/lbp_skimage.py`. */
export function packImages(images: GrayImage[]): Uint8Array {
  const total = images.reduce((n, im) => n + 8 + im.data.length, 0);
  const buf = new Uint8Array(total);
  const view = new DataView(buf.buffer);
  let pos = 0;
  for (const im of images) {
    view.setUint32(pos, im.height, true);
    view.setUint32(pos + 4, im.width, true);
    buf.set(im.data, pos + 8);
    pos += 8 + im.data.length;
  }
  return buf;
}

function configArg(configs: SkimageConfig[]): string {
  return JSON.stringify(configs.map((c) => [SKIMAGE_METHOD[c.method], c.points, c.radius]));
}

async function python(args: string[]): Promise<string> {
  const out = await new Deno.Command(SYSTEM_PYTHON, { args: [SCRIPT, ...args], stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`${SYSTEM_PYTHON} ${SCRIPT} ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/**
 * scikit-image's codes for every config (outer) and image (inner), as Float64Array (its dtype).
 *
 * @example
 * ```ts
 * const golden = await skimageLbp(images, [{ method: "circle", points: 16, radius: 2 }]);
 * ```
 */
export async function skimageLbp(images: GrayImage[], configs: SkimageConfig[]): Promise<Float64Array[][]> {
  const dir = await Deno.makeTempDir({ prefix: "fer-lbp-" });
  try {
    const pack = `${dir}/images.pack`;
    const out = `${dir}/codes.f64`;
    await Deno.writeFile(pack, packImages(images));
    await python(["golden", pack, configArg(configs), out]);
    const bytes = await Deno.readFile(out);
    const all = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    const result: Float64Array[][] = [];
    let pos = 0;
    for (let k = 0; k < configs.length; k++) {
      const row: Float64Array[] = [];
      for (const im of images) {
        row.push(all.subarray(pos, pos + im.data.length));
        pos += im.data.length;
      }
      result.push(row);
    }
    if (pos !== all.length) throw new Error(`scikit-image returned ${all.length} values, expected ${pos}`);
    return result;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Timing of one configuration by scikit-image. */
export interface SkimageTiming extends SkimageConfig {
  imagesPerS: number;
}

/**
 * Times scikit-image on the images (best of `reps` passes per config).
 *
 * @example
 * ```ts
 * const t = await skimageBench(images, [{ method: "circle", points: 8, radius: 1 }], 3);
 * ```
 */
export async function skimageBench(
  images: GrayImage[],
  configs: SkimageConfig[],
  reps: number,
): Promise<{ version: string; timings: SkimageTiming[] }> {
  const dir = await Deno.makeTempDir({ prefix: "fer-lbp-" });
  try {
    const pack = `${dir}/images.pack`;
    await Deno.writeFile(pack, packImages(images));
    const json = JSON.parse(await python(["bench", pack, configArg(configs), String(reps)]));
    const timings = configs.map((c, k) => ({ ...c, imagesPerS: json.results[k].images_per_s as number }));
    return { version: json.skimage, timings };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
