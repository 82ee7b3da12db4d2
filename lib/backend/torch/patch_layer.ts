/**
 * Replacing a tfjs-layers class's `call` or `apply`, once, for the torch backend's layer paths (layers.ts for
 * BatchNormalization and ReLU, conv_layer.ts for Conv2D). tfjs-layers registers its classes in the
 * serialization map, so the prototype is reached by class name; a class that is not registered is an
 * error, since the patch would silently not apply.
 *
 * @example
 * ```ts
 * patchLayer<{ rank: number }>("Conv2D", "call", (original) =>
 *   function (inputs, kwargs) {
 *     return original.call(this, inputs, kwargs);
 *   });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers";

/** A layer's `call` or `apply`, with `this` the layer's fields a patch reads. */
export type LayerCall<L> = (this: L, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

const patched = new Set<string>();

/** Replaces `className`'s `method` with `patch(original)`, once per class and method. */
export function patchLayer<L>(
  className: string,
  method: "call" | "apply",
  patch: (original: LayerCall<L>) => LayerCall<L>,
): void {
  const key = `${className}.${method}`;
  if (patched.has(key)) return;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`torch: tfjs-layers' ${className} is not registered`);
  const proto = entry[0].prototype as Record<"call" | "apply", LayerCall<L>>;
  proto[method] = patch(proto[method]);
  patched.add(key);
}

/** Whether tfjs-layers knows `className` (a class of lib/model registers itself when its module loads). */
export function layerRegistered(className: string): boolean {
  return className in tf.serialization.SerializationMap.getMap().classNameMap;
}

/** The first input of a layer's call (layers take one tensor or a list). */
export function firstInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}
