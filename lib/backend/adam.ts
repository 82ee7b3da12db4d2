/**
 * A one-pass native Adam update for the "fer-native" backend. tfjs's AdamOptimizer spends ~12
 * tensor ops (each a full pass and a fresh buffer) per variable per step; on a VGG-sized model that
 * was a third of a training step. {@link installNativeAdam} patches AdamOptimizer.applyGradients so
 * that, while "fer-native" is the active backend and all tensors are float32, each variable is
 * updated by one call into the library, with exactly tfjs's formula and state (the moments stay
 * the optimizer's own variables, so getWeights/setWeights and serialisation are unchanged).
 * On any other backend the original method runs.
 *
 * @example
 * ```ts
 * installNativeAdam(lib, "fer-native");
 * model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" }); // now uses the native step
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeLib } from "./ffi.ts";
import { isF32 } from "./kernels/util.ts";

/** A state variable of a tfjs optimizer (a moment, an accumulation). */
export interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The AdamOptimizer fields the update reads (public in JS, protected in its typings). */
export interface AdamState {
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

let installed = false;

/** Routes AdamOptimizer.applyGradients to the native update while `backendName` is active. */
export function installNativeAdam(lib: NativeLib, backendName: string): void {
  if (installed) return;
  installed = true;
  const proto = tf.AdamOptimizer.prototype as unknown as {
    applyGradients(g: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void;
  };
  const original = proto.applyGradients;
  proto.applyGradients = function (
    this: AdamState,
    grads: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    if (tf.getBackend() !== backendName) return original.call(this, grads);
    const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
    const gradOf = (i: number) => Array.isArray(grads) ? grads[i].tensor : grads[names[i]];
    const backend = tf.backend() as MathBackendCPU;
    const vars = tf.engine().registeredVariables;
    const allF32 = names.every((n, i) => {
      const g = gradOf(i);
      return g == null || isF32(backend, vars[n], g);
    });
    if (!allF32) return original.call(this, grads);
    const c1 = 1 - this.accBeta1.dataSync()[0], c2 = 1 - this.accBeta2.dataSync()[0];
    names.forEach((name, i) => {
      const value = vars[name];
      this.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      this.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const g = gradOf(i);
      if (g == null) return;
      const m = this.accumulatedFirstMoment[i].variable, v = this.accumulatedSecondMoment[i].variable;
      const vals = (t: tf.Tensor) => backend.data.get(t.dataId).values as Float32Array;
      const n = value.size;
      const nv = new Float32Array(n), nm = new Float32Array(n), nvv = new Float32Array(n);
      lib.check(
        lib.symbols.fer_adam(
          vals(value),
          vals(g),
          vals(m),
          vals(v),
          nv,
          nm,
          nvv,
          BigInt(n),
          this.beta1,
          this.beta2,
          c1,
          c2,
          this.learningRate,
          this.epsilon,
        ),
        "Adam",
      );
      const assign = (target: tf.Variable, data: Float32Array) => {
        const t = tf.tensor(data, target.shape, "float32");
        target.assign(t);
        t.dispose();
      };
      assign(m, nm);
      assign(v, nvv);
      assign(value, nv);
    });
    tf.tidy(() => {
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.incrementIterations();
  };
}
