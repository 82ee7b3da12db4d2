/**
 * Test support for the torch backend: the shared tolerance harness (../testing.ts) pointed at
 * "torch", which must register (the tests need the real thing; CI has Debian's libtorch-dev).
 *
 * @example
 * ```ts
 * const d = await compareTorch([[2, 5, 5, 3]], ([x]) => [tf.relu(x)], rng);
 * assert.ok(d.maxRel <= TOL, d.where);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import type { Rng } from "../../util/rng.ts";
import { profileKernels } from "../profile.ts";
import { compareBackends, type Deviation } from "../testing.ts";

/** The kernel tests' tolerance, for tests elsewhere that compare torch with cpu. */
export { TOL } from "../testing.ts";
import { registerTorchBackend, TORCH_BACKEND } from "./register.ts";

/**
 * Registers the torch backend or throws with the build's reason. One intra-op thread: the suite runs
 * test modules in parallel, and OpenMP teams of 2 per module on a loaded 2-core machine spin-wait on
 * each other (measured: 5.4 s against 0.13 s per training step of cpu-tiny at 16 px).
 */
export async function requireTorch(): Promise<void> {
  const r = await registerTorchBackend({ threads: 1 });
  if (!r.ok) throw new Error(`torch backend unavailable: ${r.reason}`);
}

/** Runs `fn` on cpu and on torch with the same random inputs; returns the worst deviation. */
export function compareTorch(
  shapes: number[][],
  fn: (xs: tf.Tensor[]) => tf.Tensor[],
  rng: Rng,
): Promise<Deviation> {
  return compareBackends(shapes, fn, rng, { backend: TORCH_BACKEND, prepare: requireTorch });
}

/**
 * A training pass of `m` on x: the loss Σ m(x)·w, the gradients of its trainable weights (in their order) and the
 * kernels the pass called on torch, by name (the fused and unfused layer tests compare these).
 */
export function profiledTrainingGrads(
  m: tfl.LayersModel,
  x: tf.Tensor,
  w: tf.Tensor,
): { loss: number[]; grads: number[][]; calls: Map<string, number> } {
  const vars = m.trainableWeights.map((v) => v.read() as tf.Variable);
  const prof = profileKernels(TORCH_BACKEND);
  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar,
    vars,
  );
  const calls = new Map(prof.report().map((r) => [r.kernel, r.calls]));
  prof.restore();
  const out = {
    loss: Array.from(value.dataSync()),
    grads: vars.map((v) => Array.from(grads[v.name].dataSync())),
    calls,
  };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/** Sets `m`'s weights to standard normal values from `rng`, its moving variances to 0.5 + |normal| (inference reads
 * them); returns `m`. */
export function randomWeights(m: tfl.LayersModel, rng: Rng): tfl.LayersModel {
  const positive = m.weights.map((w) => w.name.includes("moving_variance"));
  m.setWeights(
    m.getWeights().map((w, i) =>
      tf.tensor(
        Array.from({ length: w.size }, () => positive[i] ? 0.5 + Math.abs(rng.normal()) : rng.normal()),
        w.shape,
      )
    ),
  );
  return m;
}

/** The largest |a − b| over each array's largest |b| (arrays of the two lists in pairs), and where. */
export function worstDeviation(a: number[][], b: number[][]): { rel: number; where: string } {
  let worst = { rel: 0, where: "" };
  a.forEach((row, i) => {
    const scale = Math.max(...b[i].map(Math.abs), 1e-30);
    row.forEach((v, j) => {
      const rel = Math.abs(v - b[i][j]) / scale;
      if (!(rel <= worst.rel)) worst = { rel, where: `array ${i}[${j}]: ${v} against ${b[i][j]}` };
    });
  });
  return worst;
}

/** Runs fn with torch as the backend (registered as requireTorch does), then the backend before (if one was set). */
export async function onTorch(fn: () => void): Promise<void> {
  await requireTorch();
  const before = tf.getBackend();
  await tf.setBackend(TORCH_BACKEND);
  try {
    fn();
  } finally {
    if (before) await tf.setBackend(before);
  }
}
