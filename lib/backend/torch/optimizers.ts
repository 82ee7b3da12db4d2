/**
 * Fused in-place optimiser updates for the torch backend. tfjs's Adam spends ~12 tensor ops (each a
 * full pass and a fresh tensor) per variable per step, SGD with momentum ~5. {@link installTorchOptimizers}
 * patches applyGradients of AdamOptimizer, SGDOptimizer and MomentumOptimizer so that, while
 * "torch" is active, one shim call per step rewrites every variable and its moments in place with
 * ATen's in-place ops, in tfjs's formula and with the optimiser's own state
 * variables (so getWeights/setWeights and checkpoints are unchanged). Where a variable's data is
 * shared with another tensor (a clone) or a tensor is not float32, the original method runs.
 * {@link applyDecayedGradients} folds weight decay into that call (no decayed copies of the gradients), and
 * momentum SGD, the CPU recipe's, runs in one pass over each variable on CPUs with AVX2 and FMA.
 *
 * @example
 * ```ts
 * installTorchOptimizers("torch");
 * tf.train.adam(1e-3).minimize(loss); // one fused update of all variables on torch
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TorchBackend } from "./backend.ts";

/** A state variable of a tfjs optimizer (a moment, an accumulation). */
interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The fields of tfjs's AdamOptimizer the update reads (public in JS, protected in the typings). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

type Grads = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
interface Patchable {
  applyGradients(g: Grads): void;
}

/** The fields of tfjs's MomentumOptimizer the update reads (public in JS, protected in the typings). */
interface MomentumState {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  accumulations: Slot[];
  incrementIterations(): void;
}

/** The variables and gradients of an applyGradients call, and the shim's trailing decay args (one per variable
 * with a gradient; none without decay), or null when the fused path must not run. */
function fusable(grads: Grads, decay: readonly number[] | null): {
  names: string[];
  grads: (tf.Tensor | undefined)[];
  backend: TorchBackend;
  decayArgs: number[];
} | null {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  const gs = names.map((n, i) => Array.isArray(grads) ? grads[i].tensor : grads[n]);
  const backend = tf.backend() as TorchBackend;
  const vars = tf.engine().registeredVariables;
  const ok = names.every((n, i) =>
    gs[i] == null ||
    (vars[n]?.dtype === "float32" && gs[i]!.dtype === "float32" && backend.refCount(vars[n].dataId) === 1)
  );
  const decayArgs = decay ? names.flatMap((_, i) => gs[i] == null ? [] : [decay[i]]) : [];
  return ok ? { names, grads: gs, backend, decayArgs } : null;
}

/** An optimiser's fused update: true when it ran, false where tfjs's own method must run (nothing changed). */
type Fused = (self: unknown, grads: Grads, decay: readonly number[] | null) => boolean;
/** The fused update of each patched optimiser class, by prototype. */
const fusedUpdates = new Map<object, Fused>();
/** The backend the fused updates run on ("" until installTorchOptimizers). */
let activeBackend = "";

function slot(slots: Slot[], i: number, name: string, suffix: string, value: tf.Variable): tf.Variable {
  slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i].variable;
}

const exclusive = (b: TorchBackend, ...ts: tf.Tensor[]) => ts.every((t) => b.refCount(t.dataId) === 1);

function patch(proto: Patchable, fused: Fused): void {
  const original = proto.applyGradients;
  fusedUpdates.set(proto, fused);
  proto.applyGradients = function (this: unknown, grads: Grads): void {
    if (tf.getBackend() !== activeBackend || !fused(this, grads, null)) original.call(this, grads);
  };
}

/**
 * Applies `grads` with weight decay folded into the update: each variable's gradient first gains `decay[k]` times
 * its value (`decay` in the order of `grads`, 0 for none), as `addScaled` would make it, in the optimiser's
 * one fused shim call (for momentum SGD, one pass over each variable). Returns false, having changed nothing, where
 * that call cannot run (another backend, an optimiser other than Adam, SGD and Momentum, shared or non-float32 data);
 * the caller then decays the gradients and calls applyGradients itself.
 *
 * @example
 * ```ts
 * const grads = vars.map((v) => ({ name: v.name, tensor: g[v.name] }));
 * if (!applyDecayedGradients(opt, grads, vars.map((v) => v.rank > 1 ? 5e-4 : 0))) { ... }
 * ```
 */
export function applyDecayedGradients(
  opt: tf.Optimizer,
  grads: { name: string; tensor: tf.Tensor }[],
  decay: readonly number[],
): boolean {
  if (decay.length !== grads.length) {
    throw new Error(`applyDecayedGradients: ${decay.length} decays, ${grads.length} gradients`);
  }
  const fused = fusedUpdates.get(Object.getPrototypeOf(opt));
  return tf.getBackend() === activeBackend && fused !== undefined && fused(opt, grads, decay);
}

/** Routes Adam, SGD and Momentum updates to the fused shim ops while `backendName` is active (once). */
export function installTorchOptimizers(backendName: string): void {
  if (activeBackend) return;
  activeBackend = backendName;
  const vars = () => tf.engine().registeredVariables;

  patch(tf.AdamOptimizer.prototype as unknown as Patchable, (self, grads, decay) => {
    const s = self as AdamState, f = fusable(grads, decay);
    if (!f) return false;
    const moments = f.names.map((n, i) => [
      slot(s.accumulatedFirstMoment, i, n, "m", vars()[n]),
      slot(s.accumulatedSecondMoment, i, n, "v", vars()[n]),
    ]);
    if (!moments.every((m) => exclusive(f.backend, ...m))) return false;
    const c1 = 1 - s.accBeta1.dataSync()[0], c2 = 1 - s.accBeta2.dataSync()[0];
    const groups = f.names.flatMap((n, i) => f.grads[i] == null ? [] : [vars()[n], f.grads[i]!, ...moments[i]]);
    f.backend.run("adam", groups, [s.beta1, s.beta2, c1, c2, s.learningRate, s.epsilon, ...f.decayArgs]);
    tf.tidy(() => {
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
    return true;
  });

  patch(tf.SGDOptimizer.prototype as unknown as Patchable, (self, grads, decay) => {
    const s = self as { learningRate: number; incrementIterations(): void }, f = fusable(grads, decay);
    if (!f) return false;
    f.backend.run("sgd", f.names.flatMap((n, i) => f.grads[i] == null ? [] : [vars()[n], f.grads[i]!]), [
      s.learningRate,
      ...f.decayArgs,
    ]);
    s.incrementIterations();
    return true;
  });

  patch(tf.MomentumOptimizer.prototype as unknown as Patchable, (self, grads, decay) => {
    const s = self as MomentumState, f = fusable(grads, decay);
    if (!f) return false;
    const accs = f.names.map((n, i) => slot(s.accumulations, i, n, "momentum", vars()[n]));
    if (!exclusive(f.backend, ...accs)) return false;
    const groups = f.names.flatMap((n, i) => f.grads[i] == null ? [] : [vars()[n], f.grads[i]!, accs[i]]);
    f.backend.run("momentum", groups, [s.learningRate, s.momentum, s.useNesterov ? 1 : 0, ...f.decayArgs]);
    s.incrementIterations();
    return true;
  });
}
