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
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../../util/rng.ts";
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
