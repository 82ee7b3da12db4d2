/**
 * Convolution layers without a wasted input gradient. tfjs-layers' Conv2D calls `tf.fused.conv2d`,
 * whose custom gradient computes dx and dW together, eagerly, so a training step also pays for the
 * input gradient of every network's first convolution, which nothing reads (on the main job's two
 * streams that is a 48×48 transposed convolution per stream and step). {@link installTorchConvLayer}
 * patches Conv2D.call so that, while "torch" is active, a gradient is being recorded, and the layer has
 * neither bias nor activation (each convolution followed by BatchNormalization), it runs the plain
 * `tf.conv2d`, whose registered gradient hands dx and dW out lazily: the tape asks only for what lies
 * on a path from a variable. Both ops run the same libtorch call forward and the same two backward, so
 * every value is bit for bit what the fused op gives; only the unread dx is gone. Where the convolution is a block's
 * (block_layer.ts), its call runs the block. AtrousConv2D (lib/model/atrous.ts: the reconstruction module's dilated
 * convolutions, each read by a batch norm and ReLU) runs its block the same way, once lib/model has registered it.
 *
 * @example
 * ```ts
 * installTorchConvLayer("torch");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { blockCall, type BlockConv } from "./block_layer.ts";
import { firstInput, layerRegistered, patchLayer } from "./patch_layer.ts";

/** The Conv2D fields the torch paths read besides a block's (public in JS). */
interface Conv2DLayer extends BlockConv {
  rank: number;
  bias: unknown;
  activation: { getClassName(): string };
  dataFormat: "channelsLast" | "channelsFirst";
  dilationRate: number | number[];
}

/** The AtrousConv2D fields (lib/model/atrous.ts) its block reads; `kernel` is private in TypeScript only. */
interface AtrousLayer extends Omit<BlockConv, "strides" | "padding"> {
  useBias: boolean;
  dilation: number;
}

/** Patches tfjs-layers' Conv2D (once) for the given backend; a block's convolution runs the block
 * (block_layer.ts). */
export function installTorchConvLayer(backendName: string): void {
  patchLayer<Conv2DLayer>("Conv2D", "call", (original) =>
    function (inputs, kwargs) {
      const x = firstInput(inputs);
      if (
        tf.getBackend() !== backendName || this.rank !== 2 || this.bias != null ||
        this.activation.getClassName() !== "linear" || this.dataFormat !== "channelsLast" || x.dtype !== "float32" ||
        x.rank !== 4
      ) {
        return original.call(this, inputs, kwargs);
      }
      const d = this.dilationRate;
      const dilations = (Array.isArray(d) ? d : [d, d]) as [number, number];
      const block = blockCall(this, x, kwargs, dilations);
      if (block) return block;
      if (tf.engine().state.gradientDepth === 0) return original.call(this, inputs, kwargs);
      const strides = this.strides as [number, number];
      return tf.tidy(() =>
        tf.conv2d(x as tf.Tensor4D, this.kernel.read() as tf.Tensor4D, strides, this.padding, "NHWC", dilations)
      );
    });
  if (!layerRegistered("AtrousConv2D")) return; // lib/model not loaded yet: a later registerTorchBackend call patches it
  patchLayer<AtrousLayer>("AtrousConv2D", "call", (original) =>
    function (inputs, kwargs) {
      const x = firstInput(inputs);
      if (tf.getBackend() !== backendName || this.useBias || x.dtype !== "float32" || x.rank !== 4) {
        return original.call(this, inputs, kwargs);
      }
      const conv: BlockConv = {
        kernel: this.kernel,
        strides: [1, 1],
        padding: "same",
        inboundNodes: this.inboundNodes,
        outboundNodes: this.outboundNodes,
        computeOutputShape: (shape) => this.computeOutputShape(shape),
      };
      return blockCall(conv, x, kwargs, [this.dilation, this.dilation]) ?? original.call(this, inputs, kwargs);
    });
}
