/**
 * The "torch" tfjs backend: tensors are libtorch tensors on the CPU or a CUDA GPU, kernels run on
 * ATen (PyTorch's engine) through a small C++ shim (native/torch_shim.cc) called with Deno FFI.
 * The model, the layers, the training loop and the optimisers stay tfjs; only the kernels change.
 *
 * @example
 * ```ts
 * import { registerTorchBackend } from "./lib/backend/torch/mod.ts";
 * const r = await registerTorchBackend({ device: "auto", precision: "fp32" });
 * if (r.ok) await tf.setBackend(r.backend);
 * ```
 * @module
 */
export {
  noCudaNote,
  registerTorchBackend,
  resolveDevice,
  setTorchPrecision,
  TORCH_BACKEND,
  type TorchBackendOptions,
  type TorchBackendResult,
  type TorchDevice,
  torchKernels,
  torchRuntime,
  torchThreads,
} from "./register.ts";
export { buildTorchShim, findTorch, type TorchBuildResult, type TorchInstall } from "./build.ts";
export { TORCH_VENV, type TorchVenv, torchVenv } from "./venv.ts";
export { setTorchFusion } from "./layers.ts";
export { OMP_WAIT_MARK, type OmpWait, type OmpWaitPolicy, SHORT_SPIN } from "./omp_wait.ts";
export { type Precision, PRECISIONS, type TorchInfo } from "./ffi.ts";
export { PRECISION_REQUESTS, type PrecisionRequest, resolvePrecision } from "./precision.ts";
export { fallbackNotices } from "./fallback.ts";
export { TorchBackend } from "./backend.ts";
export { applyDecayedGradients } from "./optimizers.ts";
