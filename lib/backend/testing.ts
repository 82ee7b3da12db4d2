/**
 * Test support for a kernel backend: runs the same computation on the reference "cpu" backend
 * and on the tested one (torch, see torch/testing.ts) from identical inputs and reports the largest
 * deviation relative to the reference's magnitude.
 *
 * @example
 * ```ts
 * const d = await compareBackends([[2, 5, 5, 3]], ([x]) => [tf.relu(x)], rng, { backend: "torch", prepare });
 * assert.ok(d.maxRel <= 1e-4);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../util/rng.ts";

/** Tolerance used by the equality tests: max |tested − cpu| ≤ TOL · max(1, max |cpu|), per output. */
export const TOL = 1e-4;

/** Result of {@link compareBackends}. */
export interface Deviation {
  /** Largest |tested − cpu| / max(1, max |cpu|) over all outputs. */
  maxRel: number;
  /** Output index and element where it occurs, for messages. */
  where: string;
}

/** Random normal Float32Arrays for the given shapes. */
export function randomInputs(shapes: number[][], rng: Rng): Float32Array[] {
  return shapes.map((s) => Float32Array.from({ length: s.reduce((p, q) => p * q, 1) }, () => rng.normal()));
}

/** Which backend {@link compareBackends} tests against cpu, and how to make it available. */
export interface CompareOptions {
  /** The tested backend's name. */
  backend: string;
  /** Registers the backend or throws. */
  prepare: () => Promise<void>;
}

/** Runs `fn` on cpu and on the tested backend with the same inputs; returns the worst deviation. */
export async function compareBackends(
  shapes: number[][],
  fn: (xs: tf.Tensor[]) => tf.Tensor[],
  rng: Rng,
  opts: CompareOptions,
): Promise<Deviation> {
  await opts.prepare();
  const data = randomInputs(shapes, rng);
  const results: Float32Array[][] = [];
  for (const backend of ["cpu", opts.backend]) {
    await tf.setBackend(backend);
    const outs = tf.tidy(() => fn(data.map((d, i) => tf.tensor(d.slice(), shapes[i], "float32"))));
    results.push(outs.map((o) => Float32Array.from(o.dataSync())));
    tf.dispose(outs);
  }
  const [ref, got] = results;
  let maxRel = 0, where = "";
  ref.forEach((r, k) => {
    if (r.length !== got[k].length) throw new Error(`output ${k}: length ${got[k].length}, expected ${r.length}`);
    const scale = Math.max(1, ...r.map(Math.abs));
    r.forEach((v, i) => {
      const d = Math.abs(got[k][i] - v) / scale;
      if (!(d <= maxRel)) (maxRel = Number.isNaN(d) ? Infinity : d, where = `output ${k}[${i}]: ${got[k][i]} vs ${v}`);
    });
  });
  return { maxRel, where };
}

/** A random convolution problem of the conv tests. */
export interface ConvCase {
  n: number;
  h: number;
  w: number;
  c: number;
  oc: number;
  k: [number, number];
  stride: number;
  dilation: number;
  pad: "same" | "valid";
}

/** Random conv problems: strides 1–2, dilation 1–5 (only with stride 1, as tfjs requires), kernels 1–maxKernel, odd sizes. */
export function convCases(rng: Rng, count: number, maxKernel = 3): ConvCase[] {
  const out: ConvCase[] = [];
  for (let i = 0; i < count; i++) {
    const dilation = i % 3 === 2 ? 2 + rng.int(4) : 1;
    const stride = dilation > 1 ? 1 : 1 + rng.int(2);
    const k: [number, number] = [1 + rng.int(maxKernel), 1 + rng.int(maxKernel)];
    const eff = Math.max(...k.map((q) => (q - 1) * dilation + 1));
    out.push({
      n: 1 + rng.int(3),
      h: eff + rng.int(8),
      w: eff + rng.int(9),
      c: 1 + rng.int(9),
      oc: 1 + rng.int(12),
      k,
      stride,
      dilation,
      pad: rng.bernoulli() ? "same" : "valid",
    });
  }
  return out;
}

/** A short label of a conv case for assertion messages. */
export function convLabel(c: ConvCase): string {
  return `n${c.n} ${c.h}x${c.w}x${c.c}→${c.oc} k${c.k} s${c.stride} d${c.dilation} ${c.pad}`;
}
