/**
 * Training-mode BatchNormalization in one libtorch call each way. tfjs-layers normalises a training
 * batch with tf.moments + tf.batchNorm, whose gradient is a composite of ~15 full-size passes;
 * {@link installTorchBatchNorm} patches BatchNormalization.call so that, while "torch" is active and
 * the layer normalises its last axis, the batch statistics, the output and (through its registered
 * gradient) dx, dγ and dβ come from at::native_batch_norm(_backward), and the moving averages are updated in the
 * same forward call. Everything else is the layer's own logic: the same biased batch variance, the same moving-average formula
 * op for op (so the same bits), inference unchanged.
 *
 * When the layer's one reader is a plain ReLU layer, the ReLU runs in the same call and its gradient inside
 * the batch norm's backward call; the ReLU layer then passes its input on: in training its input tensor itself, from
 * its `apply`, in inference an alias (alias.ts); no kernel call either way. On an
 * x86-64 CPU with AVX2 and FMA the shim runs batch norm with ReLU in two passes over the data each way (ATen's batch
 * norm and ReLU take four forward and three backward), reading a bf16 convolution's output as it is, so the values are
 * those of the two layers apart within the kernel tests' tolerance; elsewhere ATen's calls run, bit for bit (ReLU's
 * gradient is dy where its output is positive either way). Where a convolution feeds the batch norm (every block of
 * the networks), the convolution's call runs all three (block_layer.ts) and the batch norm passes its input on too.
 * The batch norm's moving averages are then updated in place by the block's call; in training, where the ReLU's one
 * reader is a 2×2 max pool with stride 2, the block's call pools too (block_layer.ts) and the pool layer passes its
 * input on as well.
 * {@link setTorchFusion} switches both off to compare.
 *
 * @example
 * ```ts
 * installTorchBatchNorm("torch");
 * setTorchFusion(false); // BatchNormalization and ReLU in calls of their own
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";
import { alias } from "./alias.ts";
import { BN_RELU_TRAIN, BN_TRAIN } from "./kernels/norm.ts";
import { firstInput, patchLayer } from "./patch_layer.ts";

/** The BatchNormalization fields the training path reads (public in JS). */
export interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor };
  beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
  outboundNodes: { outboundLayer: { getClassName(): string; maxValue?: number | null } }[];
}

let fusion = true;
/** Outputs that already went through their reader's ReLU. */
const reluDone = new WeakSet<tf.Tensor>();
/** Outputs of a convolution that already went through its reader's batch norm (and that one's ReLU). */
const batchNormDone = new WeakSet<tf.Tensor>();
/** Block outputs that already went through their ReLU's reader, a max pool. */
const poolDone = new WeakSet<tf.Tensor>();

/** Runs ReLU inside the batch norm's calls when a ReLU layer is its one reader, and a convolution, its batch norm and
 * ReLU in one call where they form a block (block_layer.ts) (default), or each layer in calls of its own. */
export function setTorchFusion(on: boolean): void {
  fusion = on;
}

/** Whether layers run fused (setTorchFusion). */
export function torchFusion(): boolean {
  return fusion;
}

/** Marks a block's output: its batch norm and ReLU layers pass it on as it is. */
export function blockDone(y: tf.Tensor): void {
  batchNormDone.add(y);
}

/** Marks a block's output that its call pooled: its max pool layer passes it on too, in training. */
export function blockPooled(y: tf.Tensor): void {
  poolDone.add(y);
}

/** A block's output as its batch norm passes it on to the ReLU layer, marked as through ReLU. */
function passOn(x: tf.Tensor): tf.Tensor {
  const y = alias(x);
  reluDone.add(y);
  return y;
}

/**
 * The input a training pass-through layer returns as it is, or null. In training a block's batch norm and ReLU, and
 * the ReLU of a batch norm that ran it, return their input tensor itself from `apply`: tfjs-layers' apply (its name
 * scope, input checks and copy of an input returned as output) and an alias's tensor and tape node are skipped, and
 * the gradient reaching the output is the input's. In inference they pass on an alias (their `call`): tfjs-layers'
 * executor disposes a layer's input after its last reader there.
 */
function passedOn(
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
  done: WeakSet<tf.Tensor>,
): tf.Tensor | null {
  if (kwargs?.training !== true) return null;
  const x = firstInput(inputs);
  // the mark is spent here: the same tensor goes on to layers that must not take it as done
  return x instanceof tf.Tensor && done.delete(x) ? x : null;
}

/** True when the layer's output feeds exactly one layer, a ReLU without a ceiling. */
export function readByReluOnly(layer: BatchNormLayer): boolean {
  const readers = layer.outboundNodes ?? [];
  if (readers.length !== 1) return false;
  const r = readers[0].outboundLayer;
  return r.getClassName() === "ReLU" && r.maxValue == null;
}

/** Patches tfjs-layers' BatchNormalization and ReLU (once) for the given backend. */
export function installTorchBatchNorm(backendName: string): void {
  patchLayer<unknown>("BatchNormalization", "apply", (original) =>
    function (inputs, kwargs) {
      const x = passedOn(inputs, kwargs, batchNormDone);
      if (!x) return original.call(this, inputs, kwargs);
      reluDone.add(x); // for its ReLU only
      return x;
    });
  patchLayer<unknown>("ReLU", "apply", (original) =>
    function (inputs, kwargs) {
      return passedOn(inputs, kwargs, reluDone) ?? original.call(this, inputs, kwargs);
    });
  patchLayer<unknown>("MaxPooling2D", "apply", (original) =>
    function (inputs, kwargs) {
      return passedOn(inputs, kwargs, poolDone) ?? original.call(this, inputs, kwargs);
    });
  patchLayer<BatchNormLayer>("BatchNormalization", "call", (original) =>
    function (inputs, kwargs) {
      const x = firstInput(inputs);
      if (batchNormDone.has(x)) return passOn(x);
      const axis = this.axis >= 0 ? this.axis : this.axis + x.rank;
      if (
        tf.getBackend() !== backendName || !kwargs?.training || axis !== x.rank - 1 || x.rank < 2 ||
        !this.center || !this.scale || x.dtype !== "float32"
      ) {
        return original.call(this, inputs, kwargs);
      }
      const relu = fusion && readByReluOnly(this);
      const y = tf.tidy(() => {
        const [y, , , , movingMean, movingVariance] = tf.engine().runKernel(
          relu ? BN_RELU_TRAIN : BN_TRAIN,
          {
            x,
            scale: this.gamma.read(),
            offset: this.beta.read(),
            movingMean: this.movingMean.read(),
            movingVariance: this.movingVariance.read(),
          },
          { varianceEpsilon: this.epsilon, decay: 1 - this.momentum },
        ) as tf.Tensor[];
        this.movingMean.write(movingMean);
        this.movingVariance.write(movingVariance);
        return y;
      });
      if (relu) reluDone.add(y);
      return y;
    });
  patchLayer<unknown>("ReLU", "call", (original) =>
    function (inputs, kwargs) {
      const x = firstInput(inputs);
      return reluDone.has(x) ? alias(x) : original.call(this, inputs, kwargs);
    });
}
