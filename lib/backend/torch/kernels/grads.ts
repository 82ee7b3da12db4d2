/**
 * Backend-private gradient kernels that ../gradients.ts uses in place of tfjs's composites:
 *
 * - TorchReluGrad {dy, x}: dy where x > 0 (tfjs: step, cast, mul) → at::threshold_backward;
 * - TorchSigmoidGrad {dy, y}: dy·y·(1−y) (tfjs: sub, mul, mul) → at::sigmoid_backward.
 *
 * @example
 * ```ts
 * const dx = engine().runKernel("TorchReluGrad", { dy, x });
 * ```
 * @module
 */
import { kernel, type KernelDef, named } from "./util.ts";

/** Kernel configs of the gradient helpers. */
export function gradKernels(): KernelDef[] {
  return [
    kernel("TorchReluGrad", (args) => args.backend.run1("relu_bwd", [named(args).dy, named(args).x], [])),
    kernel("TorchSigmoidGrad", (args) => args.backend.run1("sigmoid_bwd", [named(args).dy, named(args).y], [])),
  ];
}
