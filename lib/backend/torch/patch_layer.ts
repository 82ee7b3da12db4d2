/**
 * Replacing a tfjs-layers class's `call`, once, for the torch backend's layer paths (layers.ts for
 * BatchNormalization, conv_layer.ts for Conv2D). tfjs-layers registers its classes in the
 * serialization map, so the prototype is reached by class name; a class that is not registered is an
 * error, since the patch would silently not apply.
 *
 * @example
 * ```ts
 * patchLayerCall<{ rank: number }>("Conv2D", (original) =>
 *   function (inputs, kwargs) {
 *     return original.call(this, inputs, kwargs);
 *   });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";

/** A layer's `call`, with `this` the layer's fields a patch reads. */
export type LayerCall<L> = (this: L, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

const patched = new Set<string>();

/** Replaces `className`'s call with `patch(original)`, once per class. */
export function patchLayerCall<L>(className: string, patch: (original: LayerCall<L>) => LayerCall<L>): void {
  if (patched.has(className)) return;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`torch: tfjs-layers' ${className} is not registered`);
  const proto = entry[0].prototype as { call: LayerCall<L> };
  proto.call = patch(proto.call);
  patched.add(className);
}

/** The first input of a layer's call (layers take one tensor or a list). */
export function firstInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}
