/**
 * A layer's input passed on as its output without a kernel call. Where a fused call has done a layer's work
 * (a block's batch norm and ReLU, a batch norm's ReLU: layers.ts), the layer still has to return a tensor other than
 * its input (tfjs-layers copies one that is, through an Identity kernel whose gradient is a Cast: two dispatches
 * through the engine per layer and step). {@link alias} makes a new tensor on the same data (saved_tensors.ts'
 * sameData) and, while a gradient is being recorded, a tape node whose gradient hands dy on as it is.
 *
 * @example
 * ```ts
 * const y = alias(x); // y.dataId === x.dataId; the gradient reaching y reaches x
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { sameData } from "./saved_tensors.ts";

/** The engine internals alias uses (public in JS, absent from the typings). */
interface EngineInternals {
  isTapeOn(): boolean;
  addTapeNode(
    kernelName: string,
    inputs: tf.NamedTensorMap,
    outputs: tf.Tensor[],
    gradientsFunc: (dy: tf.Tensor) => Record<string, () => tf.Tensor>,
    saved: tf.Tensor[],
    attrs: tf.NamedAttrMap,
  ): void;
}

/** The tape node's name (no kernel or gradient is registered under it). */
const ALIAS = "TorchAlias";

/** x as a new tensor on the same data, on the tape as x itself. */
export function alias(x: tf.Tensor): tf.Tensor {
  const engine = tf.engine() as unknown as EngineInternals;
  const y = sameData(x, "a tensor a layer passes on");
  if (engine.isTapeOn()) engine.addTapeNode(ALIAS, { x }, [y], (dy) => ({ x: () => dy }), [], {});
  return y;
}
