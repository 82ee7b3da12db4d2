/**
 * Checkpoints that survive a kill: model weights, optimiser state, RNG state and the metrics so
 * far, in ONE file written to a temporary name and renamed into place (rename is atomic on POSIX),
 * so a reader sees either the previous checkpoint or the new one, never half of one.
 *
 * File layout: `FERCKPT1`, uint32 header length (LE), JSON header, zero padding to 8 bytes, then
 * the arrays' bytes in header order (float32 / int32, little-endian).
 *
 * @example
 * ```ts
 * await writeCheckpoint("run/checkpoint/ckpt.bin", { state, groups: { model: await snapshot(model) } });
 * const ck = await readCheckpoint("run/checkpoint/ckpt.bin");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { failpoint } from "../util/failpoint.ts";

/** One stored array. */
export interface StoredArray {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  data: Float32Array | Int32Array;
}

/** A checkpoint: free-form JSON state plus named groups of arrays. */
export interface Checkpoint<S = unknown> {
  state: S;
  groups: Record<string, StoredArray[]>;
}

const MAGIC = "FERCKPT1";
const enc = new TextEncoder(), dec = new TextDecoder();

/** Writes a checkpoint atomically (temp file in the same folder + rename). */
export async function writeCheckpoint<S>(path: string, ck: Checkpoint<S>): Promise<void> {
  const meta: Record<string, { name: string; shape: number[]; dtype: string; length: number }[]> = {};
  const parts: Uint8Array[] = [];
  for (const [g, arrays] of Object.entries(ck.groups)) {
    meta[g] = arrays.map((a) => ({ name: a.name, shape: a.shape, dtype: a.dtype, length: a.data.length }));
    for (const a of arrays) parts.push(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  }
  const header = enc.encode(JSON.stringify({ state: ck.state, groups: meta }));
  const headLen = 8 + 4 + header.length;
  const pad = (8 - (headLen % 8)) % 8;
  const total = headLen + pad + parts.reduce((a, p) => a + p.length, 0);
  const buf = new Uint8Array(total);
  buf.set(enc.encode(MAGIC), 0);
  new DataView(buf.buffer).setUint32(8, header.length, true);
  buf.set(header, 12);
  let off = headLen + pad;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    const half = buf.length >> 1;
    await writeAll(f, buf.subarray(0, half));
    failpoint("checkpoint-write");
    await writeAll(f, buf.subarray(half));
    await f.sync();
  } finally {
    f.close();
  }
  failpoint("checkpoint-rename");
  await Deno.rename(tmp, path);
  failpoint("checkpoint-done");
}

async function writeAll(f: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await f.write(bytes.subarray(written));
}

/** Reads a checkpoint; a missing, truncated or foreign file is an error naming it. */
export async function readCheckpoint<S = unknown>(path: string): Promise<Checkpoint<S>> {
  const buf = await Deno.readFile(path);
  if (buf.length < 12 || dec.decode(buf.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${path}: not a fer checkpoint (expected it to start with ${MAGIC})`);
  }
  const hl = new DataView(buf.buffer, buf.byteOffset).getUint32(8, true);
  if (12 + hl > buf.length) throw new Error(`${path}: truncated checkpoint (the header runs past the end)`);
  let header: { state: unknown; groups: unknown };
  try {
    header = JSON.parse(dec.decode(buf.subarray(12, 12 + hl)));
  } catch (e) {
    throw new Error(`${path}: the checkpoint header is not valid JSON (${e instanceof Error ? e.message : e})`);
  }
  let off = 12 + hl;
  off += (8 - (off % 8)) % 8;
  const groups: Record<string, StoredArray[]> = {};
  type Meta = { name: string; shape: number[]; dtype: "float32" | "int32"; length: number };
  for (const [g, metas] of Object.entries(header.groups as Record<string, Meta[]>)) {
    groups[g] = metas.map((m) => {
      const bytes = m.length * 4;
      if (off + bytes > buf.length) {
        throw new Error(`${path}: truncated checkpoint (array ${g}/${m.name} runs past the end)`);
      }
      const copy = buf.slice(off, off + bytes).buffer;
      off += bytes;
      const data = m.dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy);
      return { name: m.name, shape: m.shape, dtype: m.dtype, data };
    });
  }
  return { state: header.state as S, groups };
}

/** Copies tensors to host arrays (does not dispose them); asynchronous reads, which every backend has. */
export function toStored(named: { name: string; tensor: tf.Tensor }[]): Promise<StoredArray[]> {
  return Promise.all(named.map(async ({ name, tensor }) => {
    const d = await tensor.data();
    return {
      name,
      shape: [...tensor.shape],
      dtype: tensor.dtype === "int32" ? "int32" as const : "float32" as const,
      data: tensor.dtype === "int32" ? Int32Array.from(d) : Float32Array.from(d),
    };
  }));
}

/** The model's weights (trainable and not, in layer order) as host arrays. */
export function snapshotModel(model: tfl.LayersModel): Promise<StoredArray[]> {
  return toStored(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
}

/** Loads host arrays into the model's weights, by position; shapes must match. */
export function restoreModel(model: tfl.LayersModel, arrays: StoredArray[]): void {
  const ws = model.weights;
  if (ws.length !== arrays.length) {
    throw new Error(
      `checkpoint has ${arrays.length} weight arrays, the model has ${ws.length}: different architecture`,
    );
  }
  const tensors = arrays.map((a, i) => {
    if (a.shape.join("x") !== ws[i].shape.join("x")) {
      throw new Error(
        `checkpoint weight ${a.name} is ${a.shape.join("x")}, model's ${ws[i].name} is ${ws[i].shape.join("x")}`,
      );
    }
    return tf.tensor(a.data, a.shape, a.dtype);
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** Adam keeps β₁ᵗ, β₂ᵗ as running products; `setWeights` recomputes them with `pow`, which differs in the
 * last bits, so they are stored too and put back for a bit-exact resume. */
type WithBetaPowers = { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
const BETA_POWERS = ["accBeta1", "accBeta2"] as const;

/** The optimiser's state (iterations, slots, Adam's β powers) as host arrays. */
export async function snapshotOptimizer(opt: tf.Optimizer): Promise<StoredArray[]> {
  const named = await opt.getWeights();
  const extra = BETA_POWERS.flatMap((k) => {
    const v = (opt as unknown as WithBetaPowers)[k];
    return v ? [{ name: `__${k}`, tensor: v as tf.Tensor }] : [];
  });
  const out = await toStored([...named, ...extra]);
  // getWeights returns the live slot variables plus a fresh "iter" scalar: free only the scalar.
  tf.dispose(named.filter((n) => n.name === "iter").map((n) => n.tensor));
  return out;
}

/** Restores optimiser state saved by {@link snapshotOptimizer} into a fresh optimiser of the same kind. */
export async function restoreOptimizer(opt: tf.Optimizer, arrays: StoredArray[]): Promise<void> {
  const named = arrays.filter((a) => !a.name.startsWith("__")).map((a) => ({
    name: a.name,
    tensor: tf.tensor(a.data, a.shape, a.dtype),
  }));
  await opt.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
  for (const k of BETA_POWERS) {
    const saved = arrays.find((a) => a.name === `__${k}`), v = (opt as unknown as WithBetaPowers)[k];
    if (saved && v) tf.tidy(() => v.assign(tf.tensor(saved.data, saved.shape, saved.dtype)));
  }
}
