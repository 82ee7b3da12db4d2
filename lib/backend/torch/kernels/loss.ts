/**
 * The training loss in one libtorch call each way (the shim's loss section): lib/engine/loss.ts' class-weighted
 * cross-entropy of softmax outputs, which tfjs runs as ~10 ops forward and ~15 back.
 *
 * - TorchWeightedCrossEntropy {pred [n, k], labels [n, k] (one-hot), classWeights [k]} attrs {labelSmoothing} →
 *   the scalar Σ_i w_i·(−Σ_j t_ij·log clip(p_ij, 1e-7, 1 − 1e-7)) / n, t the labels smoothed by ε
 *   ((1 − ε)·onehot + ε/k), w_i the weight of row i's class;
 * - TorchWeightedCrossEntropyGrad {dy, pred, labels, classWeights} attrs {labelSmoothing} → dpred: what tfjs's ops
 *   give, −dy·w_i·t_ij / (n·clip(p_ij)) where p_ij lies within the clipping bounds (inclusive), else 0.
 *
 * @example
 * ```ts
 * const loss = engine().runKernel(WEIGHTED_CE, { pred, labels, classWeights }, { labelSmoothing: 0.1 });
 * ```
 * @module
 */
import { kernel, type KernelDef, named } from "./util.ts";

/** Name of the loss kernel. */
export const WEIGHTED_CE = "TorchWeightedCrossEntropy";
/** Name of its gradient kernel. */
export const WEIGHTED_CE_GRAD = "TorchWeightedCrossEntropyGrad";

/** The attributes of both kernels. */
export interface WeightedCeAttrs {
  /** ε: the targets are (1 − ε)·onehot + ε/k (0: the labels). */
  labelSmoothing: number;
}

/** Kernel configs of the loss. */
export function lossKernels(): KernelDef[] {
  return [
    kernel(WEIGHTED_CE, (args) => {
      const { pred, labels, classWeights } = named(args);
      const a = args.attrs as unknown as WeightedCeAttrs;
      return args.backend.run1("wce", [pred, labels, classWeights], [a.labelSmoothing]);
    }),
    kernel(WEIGHTED_CE_GRAD, (args) => {
      const { dy, pred, labels, classWeights } = named(args);
      const a = args.attrs as unknown as WeightedCeAttrs;
      return args.backend.run1("wce_bwd", [dy, pred, labels, classWeights], [a.labelSmoothing]);
    }),
  ];
}
