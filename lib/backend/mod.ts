/**
 * TensorFlow.js backends: where a model runs (`Runtime`: backend, device, precision, threads; runtime.ts),
 * choosing and initialising one (`selectRuntime`, `selectBackend`, `ensureBackend`), the
 * "torch" backend (tfjs kernels run by libtorch through Deno FFI, on the CPU or CUDA) and its build,
 * the faster filter gradient for tfjs' plain cpu backend, and kernel profiling.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): runtime.ts, runtime_flags.ts, select.ts,
 *  torch/register.ts, torch/testing.ts.
 *
 * @example
 * ```ts
 * import { selectBackend } from "../lib/backend/mod.ts";
 * const { backend, reason } = await selectBackend("auto");
 * ```
 * @module
 */
export {
  activeRuntime,
  BACKEND_NAMES,
  type BackendChoice,
  type BackendName,
  describeAdapter,
  ensureBackend,
  gpuAdapter,
  selectBackend,
  selectRuntime,
} from "./select.ts";
export {
  defaultThreads,
  envThreads,
  type RecordedRuntime,
  recordedRuntime,
  type Runtime,
  RUNTIME_DEFAULTS,
  runtimeOf,
  type RuntimeRequest,
} from "./runtime.ts";
export { parseRuntime, type RuntimeInput } from "./runtime_flags.ts";
export { addScaled } from "./add_scaled.ts";
export { fusedCrossEntropy } from "./cross_entropy.ts";
export { patchCpuKernels } from "./cpu_kernels.ts";
export { type KernelTime, profileKernels } from "./profile.ts";
export {
  applyDecayedGradients,
  buildTorchShim,
  findTorch,
  OMP_WAIT_MARK,
  type OmpWait,
  type OmpWaitPolicy,
  type Precision,
  type PrecisionRequest,
  PRECISIONS,
  registerTorchBackend,
  setTorchFusion,
  setTorchPrecision,
  SHORT_SPIN,
  TORCH_BACKEND,
  TORCH_VENV,
  type TorchDevice,
  torchThreads,
  torchVenv,
} from "./torch/mod.ts";
