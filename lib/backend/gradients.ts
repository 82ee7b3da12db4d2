/**
 * Leaner gradients for Relu, Square, Mean and FusedBatchNorm while "fer-native" is the active
 * backend. tfjs's gradient registry is global, so {@link installNativeGradients} wraps each
 * registered gradient: on fer-native (float32, supported shapes) it runs the one-pass kernels of
 * kernels/grads.ts, anywhere else the original tfjs gradient. The maths is tfjs's own (mean and
 * variance are separate inputs of FusedBatchNorm; their gradients flow back through tf.moments as
 * before), only the number of full-size passes changes: ~20 → ~6 per BatchNorm layer.
 *
 * @example
 * ```ts
 * installNativeGradients("fer-native");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

type GradFunc = tf.GradConfig["gradFunc"];

let installed = false;

/** Re-registers the gradient of `kernelName` as `fast(original)` (fer-native's and torch's gradients). */
export function wrapGradient(kernelName: string, fast: (orig: GradFunc) => GradFunc): void {
  const orig = tf.getGradient(kernelName);
  if (!orig) throw new Error(`fer-native: tfjs has no gradient for ${kernelName}`);
  tf.registerGradient({ ...orig, gradFunc: fast(orig.gradFunc) });
}

const f32 = (...ts: (tf.Tensor | undefined)[]) => ts.every((t) => t === undefined || t.dtype === "float32");

/** Installs the fer-native gradients (once); `backendName` is the backend they apply to. */
export function installNativeGradients(backendName: string): void {
  if (installed) return;
  installed = true;
  const active = () => tf.getBackend() === backendName;
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) =>
    tf.engine().runKernel(name, inputs, attrs);

  wrapGradient("Relu", (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!active() || !f32(dy as tf.Tensor, x)) return orig(dy, saved, attrs);
    return { x: () => run("FerReluGrad", { dy: dy as tf.Tensor, x }) as tf.Tensor };
  });

  wrapGradient("Square", (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!active() || !f32(dy as tf.Tensor, x)) return orig(dy, saved, attrs);
    return { x: () => run("FerSquareGrad", { dy: dy as tf.Tensor, x }) as tf.Tensor };
  });

  wrapGradient("Mean", (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!active() || !f32(dy as tf.Tensor, x)) return orig(dy, saved, attrs);
    const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
    const reduceSize = axes.reduce((p, a) => p * x.shape[a], 1);
    const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return {
      x: () =>
        tf.tidy(() =>
          run("FerBroadcastMul", { a: tf.reshape(dy as tf.Tensor, expanded), b: tf.scalar(1 / reduceSize) }, {
            shape: x.shape,
          }) as tf.Tensor
        ),
    };
  });

  wrapGradient("FusedBatchNorm", (orig) => (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const c = x.shape[x.shape.length - 1];
    const perChannel = (t: tf.Tensor | undefined) => t === undefined || (t.rank === 1 && t.shape[0] === c);
    if (
      !active() || !f32(dy as tf.Tensor, x, mean, variance, scale) || x.rank !== 4 || mean.rank !== 1 ||
      !perChannel(mean) || !perChannel(variance) || !perChannel(scale ?? undefined)
    ) {
      return orig(dy, saved, attrs);
    }
    const inputs: tf.NamedTensorMap = { x, dy: dy as tf.Tensor, mean, variance };
    if (scale) inputs.scale = scale;
    const eps = (attrs as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001;
    const [dx, dMean, dVar, dScale, dOffset] = run("FerBatchNormGrad", inputs, { varianceEpsilon: eps }) as tf.Tensor[];
    return { x: () => dx, mean: () => dMean, variance: () => dVar, scale: () => dScale, offset: () => dOffset };
  });
}
