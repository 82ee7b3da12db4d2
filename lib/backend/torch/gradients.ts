/**
 * Gradients for the torch backend. tfjs's gradient registry is global, so
 * {@link installTorchGradients} wraps the registered gradients of Relu, Sigmoid and Conv2D: while
 * "torch" is the active backend (and the tensors are float32) they run one libtorch kernel each,
 * anywhere else the original tfjs gradient. Conv2D's wrapped gradient also takes dilations, which
 * tfjs's refuses: on torch the atrous convolutions train as dilated convolutions.
 * It also registers the gradients of the training-mode batch norm, with and without its ReLU (kernels/norm.ts), of the
 * conv → batch norm → ReLU block (kernels/block.ts) and of the training loss (kernels/loss.ts).
 *
 * @example
 * ```ts
 * installTorchGradients("torch");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type BlockTrainAttrs, CONV_BN_RELU_GRAD, CONV_BN_RELU_TRAIN } from "./kernels/block.ts";
import { BN_RELU_TRAIN, BN_TRAIN, BN_TRAIN_GRAD } from "./kernels/norm.ts";
import { WEIGHTED_CE, WEIGHTED_CE_GRAD } from "./kernels/loss.ts";

type GradFunc = tf.GradConfig["gradFunc"];

/** Re-registers the gradient of `kernelName` as `fast(original)`. */
function wrap(kernelName: string, fast: (orig: GradFunc) => GradFunc): void {
  const orig = tf.getGradient(kernelName);
  if (!orig) throw new Error(`torch: tfjs has no gradient for ${kernelName}`);
  tf.registerGradient({ ...orig, gradFunc: fast(orig.gradFunc) });
}

let installed = false;

const f32 = (...ts: tf.Tensor[]) => ts.every((t) => t.dtype === "float32");
const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) =>
  tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];

/** Installs the torch gradients (once); `backendName` is the backend they apply to. */
export function installTorchGradients(backendName: string): void {
  if (installed) return;
  installed = true;
  const active = () => tf.getBackend() === backendName;

  wrap("Relu", (orig) => (dy, saved, attrs) => {
    const [x] = saved;
    if (!active() || !f32(dy as tf.Tensor, x)) return orig(dy, saved, attrs);
    return { x: () => run("TorchReluGrad", { dy: dy as tf.Tensor, x }) as tf.Tensor };
  });

  wrap("Sigmoid", (orig) => (dy, saved, attrs) => {
    const [y] = saved;
    if (!active() || !f32(dy as tf.Tensor, y)) return orig(dy, saved, attrs);
    return { x: () => run("TorchSigmoidGrad", { dy: dy as tf.Tensor, y }) as tf.Tensor };
  });

  wrap("Conv2D", (orig) => (dy, saved, attrs) => {
    const [x, filter] = saved;
    if (!active()) return orig(dy, saved, attrs);
    const { strides, pad, dataFormat, dimRoundingMode, dilations } = attrs as unknown as tf.Conv2DAttrs;
    const common = { strides, pad, dataFormat, dimRoundingMode, dilations } as unknown as tf.NamedAttrMap;
    return {
      x: () =>
        run("Conv2DBackpropInput", { dy: dy as tf.Tensor, filter }, { ...common, inputShape: x.shape }) as tf.Tensor,
      filter: () =>
        run("Conv2DBackpropFilter", { x, dy: dy as tf.Tensor }, { ...common, filterShape: filter.shape }) as tf.Tensor,
    };
  });

  tf.registerGradient({
    kernelName: BN_TRAIN,
    inputsToSave: ["x", "scale"],
    outputsToSave: [false, true, false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, scale, mean, invstd] = saved;
      const dy = (dys as tf.Tensor[])[0];
      const [dx, dScale, dOffset] = run(BN_TRAIN_GRAD, { dy, x, scale, mean, invstd }, attrs) as tf.Tensor[];
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });

  tf.registerGradient({
    kernelName: BN_RELU_TRAIN,
    inputsToSave: ["x", "scale"],
    outputsToSave: [true, true, false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, scale, y, mean, invstd] = saved;
      const dy = (dys as tf.Tensor[])[0];
      const [dx, dScale, dOffset] = run(BN_TRAIN_GRAD, { dy, x, scale, mean, invstd, y }, attrs) as tf.Tensor[];
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });

  tf.registerGradient({
    kernelName: WEIGHTED_CE,
    inputsToSave: ["pred", "labels", "classWeights"],
    gradFunc: (dy, saved, attrs) => {
      const [pred, labels, classWeights] = saved;
      return {
        pred: () => run(WEIGHTED_CE_GRAD, { dy: dy as tf.Tensor, pred, labels, classWeights }, attrs) as tf.Tensor,
        labels: () => tf.zerosLike(labels),
        classWeights: () => tf.zerosLike(classWeights),
      };
    },
  });

  tf.registerGradient({
    kernelName: CONV_BN_RELU_TRAIN,
    inputsToSave: ["x", "filter", "scale"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, scale, y] = saved;
      const [first, dFilter, dScale, dOffset] = run(
        CONV_BN_RELU_GRAD,
        { dy: dy as tf.Tensor, x, filter, scale, y },
        attrs,
      ) as tf.Tensor[];
      const a = attrs as unknown as BlockTrainAttrs;
      // without inputGrad, `first` is the convolution's output gradient: dx only if asked after all
      const dx = a.inputGrad === false
        ? () =>
          tf.conv2dTranspose(
            first as tf.Tensor4D,
            filter as tf.Tensor4D,
            x.shape as [number, number, number, number],
            a.strides,
            a.pad,
          )
        : () => first;
      return { x: dx, filter: () => dFilter, scale: () => dScale, offset: () => dOffset };
    },
  });
}
