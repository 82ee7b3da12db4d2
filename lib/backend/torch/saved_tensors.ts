/**
 * Tensors saved for backward without a kernel call each. tfjs's engine keeps every tensor a gradient needs by
 * cloning it: an Identity kernel through the whole dispatch (scopes, profiler hooks, the kernel registry) and a tape
 * node of its own, which backprop then filters out again. A training step of the main job's network saves ~260
 * tensors that way. {@link installTorchSavedTensors} patches the engine so that, while "torch" is active and the
 * tape is first order, a saved tensor is a new tensor on the same data with the backend's reference count raised:
 * what torch's Identity kernel does (kernels/layout.ts), less the dispatch and the tape node. Second-order
 * gradients (a tape inside a tape) keep tfjs's clone, whose tape node they may need.
 *
 * @example
 * ```ts
 * installTorchSavedTensors("torch");
 * tf.variableGrads(() => loss()); // the saved tensors share their data, one Identity call fewer each
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** The engine internals the patch reads (public in JS, absent from the typings). */
interface EngineInternals {
  backendName: string;
  state: {
    gradientDepth: number;
    tensorInfo: { get(id: tf.DataId): { backend: tf.KernelBackend } | undefined };
  };
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor;
  keep<T extends tf.Tensor>(t: T): T;
}

/**
 * A new tensor on `t`'s data with the backend's reference count raised: what torch's Identity kernel does, without
 * the dispatch or a tape node; `what` names `t` in the error when its data is gone.
 *
 * @example
 * ```ts
 * const u = sameData(t, "a tensor saved for backward"); // u.dataId === t.dataId; disposing one keeps the other
 * ```
 */
export function sameData(t: tf.Tensor, what: string): tf.Tensor {
  const engine = tf.engine() as unknown as EngineInternals;
  const backend = engine.state.tensorInfo.get(t.dataId)?.backend;
  if (!backend) throw new Error(`torch: ${what} has no data (disposed?), shape [${t.shape}]`);
  backend.incRef(t.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend);
}

let installed = false;

/** Installs the cheap saved tensors (once); `backendName` is the backend they apply to. */
export function installTorchSavedTensors(backendName: string): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine() as unknown as EngineInternals;
  const orig = engine.saveTensorsForBackwardMode;
  engine.saveTensorsForBackwardMode = function (this: EngineInternals, tensors: tf.Tensor[]): tf.Tensor[] {
    if (this.backendName !== backendName || this.state.gradientDepth > 1) return orig.call(this, tensors);
    return tensors.map((t) => this.keep(sameData(t, "a tensor saved for backward")));
  };
}
