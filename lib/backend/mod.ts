/**
 * TensorFlow.js backends: choosing and initialising one (`selectBackend`, `ensureBackend`), the
 * "torch" backend (tfjs kernels run by libtorch through Deno FFI, on the CPU or CUDA) and its build,
 * the faster filter gradient for tfjs' plain cpu backend, and kernel profiling.
 *
 * @example
 * ```ts
 * import { selectBackend } from "../lib/backend/mod.ts";
 * const { backend, reason } = await selectBackend("auto");
 * ```
 * @module
 */
export {
  BACKEND_NAMES,
  type BackendChoice,
  type BackendName,
  describeAdapter,
  ensureBackend,
  gpuAdapter,
  selectBackend,
} from "./select.ts";
export { patchCpuKernels } from "./cpu_kernels.ts";
export { type KernelTime, profileKernels } from "./profile.ts";
export {
  buildTorchShim,
  findTorch,
  type Precision,
  PRECISIONS,
  registerTorchBackend,
  setTorchPrecision,
  TORCH_BACKEND,
  TORCH_VENV,
  type TorchDevice,
  torchThreads,
  torchVenv,
} from "./torch/mod.ts";
