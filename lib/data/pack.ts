/**
 * A dataset as one binary file (`.ferpack`): every sample's label, subject, sequence and split plus its
 * pixels at one size, so a dataset travels to an offline machine (a GPU box with nothing installed but
 * deno) and loads there with no image decoder. Layout: the 8 bytes `FERPACK1`, a little-endian uint32
 * header length, a UTF-8 JSON header ({@link PackHeader}), then `n·size·size` grey bytes in sample order.
 *
 * @example
 * ```ts
 * await writePack(await loadDataset({ dataset: "ckplus" }), { out: "ckplus48.ferpack", size: 48 });
 * const ds = await readPack("ckplus48.ferpack"); // a Dataset; ds.load(s) needs no decoder
 * ```
 * @module
 */
import type { Dataset, Sample } from "./dataset.ts";
import type { GrayImage } from "./image.ts";
import { Progress } from "../util/progress.ts";

const MAGIC = "FERPACK1";

/** The JSON header of a pack. */
export interface PackHeader {
  name: string;
  /** Where the pixels came from (the source dataset's root). */
  source: string;
  classes: string[];
  size: number;
  /** Samples in pixel order; `path` is the source sample's path. */
  samples: Sample[];
}

/** Decodes every sample of `ds` at `size`×`size` and writes them to `out`; returns the header written. */
export async function writePack(ds: Dataset, opts: { out: string; size: number }): Promise<PackHeader> {
  const { size } = opts, px = size * size;
  if (!Number.isInteger(size) || size < 1) throw new Error(`pack size must be a positive integer, got ${size}`);
  const pixels = new Uint8Array(ds.samples.length * px);
  const progress = new Progress({ label: `pack ${ds.name}`, total: ds.samples.length, unit: "img" });
  for (const [i, s] of ds.samples.entries()) {
    const img = await ds.load(s, { size });
    if (img.width !== size || img.height !== size || img.data.length !== px) {
      throw new Error(`${s.path}: decoded to ${img.width}x${img.height}, expected ${size}x${size} grey`);
    }
    pixels.set(img.data, i * px);
    progress.tick(1);
  }
  progress.done();
  const header: PackHeader = { name: ds.name, source: ds.root, classes: ds.classes, size, samples: ds.samples };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(12);
  head.set(new TextEncoder().encode(MAGIC));
  new DataView(head.buffer).setUint32(8, json.length, true);
  const file = await Deno.open(opts.out, { write: true, create: true, truncate: true });
  try {
    for (const part of [head, json, pixels]) {
      let off = 0;
      while (off < part.length) off += await file.write(part.subarray(off));
    }
  } finally {
    file.close();
  }
  return header;
}

/** Reads a pack written by {@link writePack}; `load` serves its pixels (and refuses another size). */
export async function readPack(path: string): Promise<Dataset & { size: number }> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read dataset pack (${err instanceof Error ? err.message : err})`);
  }
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${path}: not a dataset pack (expected the bytes "${MAGIC}" first; write one with fer data pack)`);
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  let header: PackHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
  } catch (err) {
    throw new Error(`${path}: the pack header is not valid JSON (${err instanceof Error ? err.message : err})`);
  }
  const px = header.size * header.size, pixels = bytes.subarray(12 + len);
  if (pixels.length !== header.samples.length * px) {
    throw new Error(
      `${path}: ${pixels.length} pixel bytes, expected ${header.samples.length} samples × ${px} (truncated file?)`,
    );
  }
  const index = new Map(header.samples.map((s, i) => [s, i]));
  return {
    name: header.name,
    root: path,
    classes: header.classes,
    samples: header.samples,
    size: header.size,
    load(sample: Sample, o = {}): Promise<GrayImage> {
      const i = index.get(sample);
      if (i === undefined) return Promise.reject(new Error(`${path}: ${sample.path} is not a sample of this pack`));
      if (o.size !== undefined && o.size !== header.size) {
        return Promise.reject(new Error(`${path}: packed at ${header.size}x${header.size}, asked for ${o.size}`));
      }
      return Promise.resolve({ width: header.size, height: header.size, data: pixels.slice(i * px, (i + 1) * px) });
    },
  };
}
