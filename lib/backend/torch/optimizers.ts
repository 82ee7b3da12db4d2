/**
 * Fused in-place optimiser updates for the torch backend. tfjs's Adam spends ~12 tensor ops (each a
 * full pass and a fresh tensor) per variable per step, SGD with momentum ~5. {@link installTorchOptimizers}
 * patches applyGradients of AdamOptimizer, SGDOptimizer and MomentumOptimizer so that, while
 * "torch" is active, one shim call per step rewrites every variable and its moments in place with
 * ATen's in-place ops, in tfjs's formula and with the optimiser's own state
 * variables (so getWeights/setWeights and checkpoints are unchanged). Where a variable's data is
 * shared with another tensor (a clone) or a tensor is not float32, the original method runs.
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

let installed = false;

/** The variables and gradients of an applyGradients call, or null when the fused path must not run. */
function fusable(grads: Grads): { names: string[]; grads: (tf.Tensor | undefined)[]; backend: TorchBackend } | null {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  const gs = names.map((n, i) => Array.isArray(grads) ? grads[i].tensor : grads[n]);
  const backend = tf.backend() as TorchBackend;
  const vars = tf.engine().registeredVariables;
  const ok = names.every((n, i) =>
    gs[i] == null ||
    (vars[n]?.dtype === "float32" && gs[i]!.dtype === "float32" && backend.refCount(vars[n].dataId) === 1)
  );
  return ok ? { names, grads: gs, backend } : null;
}

function slot(slots: Slot[], i: number, name: string, suffix: string, value: tf.Variable): tf.Variable {
  slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i].variable;
}

const exclusive = (b: TorchBackend, ...ts: tf.Tensor[]) => ts.every((t) => b.refCount(t.dataId) === 1);

function patch(proto: Patchable, backendName: string, fused: (self: unknown, grads: Grads) => boolean): void {
  const original = proto.applyGradients;
  proto.applyGradients = function (this: unknown, grads: Grads): void {
    if (tf.getBackend() !== backendName || !fused(this, grads)) original.call(this, grads);
  };
}

/** Routes Adam, SGD and Momentum updates to the fused shim ops while `backendName` is active (once). */
export function installTorchOptimizers(backendName: string): void {
  if (installed) return;
  installed = true;
  const vars = () => tf.engine().registeredVariables;

  patch(tf.AdamOptimizer.prototype as unknown as Patchable, backendName, (self, grads) => {
    const s = self as AdamState, f = fusable(grads);
    if (!f) return false;
    const moments = f.names.map((n, i) => [
      slot(s.accumulatedFirstMoment, i, n, "m", vars()[n]),
      slot(s.accumulatedSecondMoment, i, n, "v", vars()[n]),
    ]);
    if (!moments.every((m) => exclusive(f.backend, ...m))) return false;
    const c1 = 1 - s.accBeta1.dataSync()[0], c2 = 1 - s.accBeta2.dataSync()[0];
    const groups = f.names.flatMap((n, i) => f.grads[i] == null ? [] : [vars()[n], f.grads[i]!, ...moments[i]]);
    f.backend.run("adam", groups, [s.beta1, s.beta2, c1, c2, s.learningRate, s.epsilon]);
    tf.tidy(() => {
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
    return true;
  });

  patch(tf.SGDOptimizer.prototype as unknown as Patchable, backendName, (self, grads) => {
    const s = self as { learningRate: number; incrementIterations(): void }, f = fusable(grads);
    if (!f) return false;
    f.backend.run("sgd", f.names.flatMap((n, i) => f.grads[i] == null ? [] : [vars()[n], f.grads[i]!]), [
      s.learningRate,
    ]);
    s.incrementIterations();
    return true;
  });

  patch(tf.MomentumOptimizer.prototype as unknown as Patchable, backendName, (self, grads) => {
    const s = self as MomentumState, f = fusable(grads);
    if (!f) return false;
    const accs = f.names.map((n, i) => slot(s.accumulations, i, n, "momentum", vars()[n]));
    if (!exclusive(f.backend, ...accs)) return false;
    const groups = f.names.flatMap((n, i) => f.grads[i] == null ? [] : [vars()[n], f.grads[i]!, accs[i]]);
    f.backend.run("momentum", groups, [s.learningRate, s.momentum, s.useNesterov ? 1 : 0]);
    s.incrementIterations();
    return true;
  });
}
