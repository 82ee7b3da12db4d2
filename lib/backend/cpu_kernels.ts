/**
 * A faster Conv2DBackpropFilter for tfjs' plain "cpu" backend.
 *
 * tfjs-backend-cpu computes the filter gradient with a loop order that re-derives bounds per
 * element; on the attention network it takes ~85 % of a training step (measured: 39 s of 46 s for
 * one cpu-tiny step at batch 2). This kernel accumulates `x-patch ⊗ dy` with the output-channel loop
 * innermost and contiguous, skipping zero activations (after ReLU most are), which is the same
 * arithmetic in a cache-friendly order. NHWC only; anything else goes to the original kernel.
 *
 * @example
 * ```ts
 * await tf.setBackend("cpu");
 * patchCpuKernels(); // idempotent
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** A Conv2DBackpropFilter call read off tfjs's kernel arguments: the tensors and the conv geometry. */
interface FilterGradCall {
  x: TensorInfo;
  dy: TensorInfo;
  filterShape: [number, number, number, number];
  info: backend_util.Conv2DInfo;
}

/**
 * Reads a Conv2DBackpropFilter call; null when it is not NHWC float32, which is left to tfjs's own kernel.
 */
function filterGradCall(
  inputs: Record<string, TensorInfo | undefined>,
  attrs: NamedAttrMap | undefined,
): FilterGradCall | null {
  const { x, dy } = inputs;
  const a = attrs as unknown as {
    filterShape: [number, number, number, number];
    strides: number | [number, number];
    pad: "valid" | "same" | number | backend_util.ExplicitPadding;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  if (!x || !dy || a.dataFormat !== "NHWC" || x.dtype !== "float32" || dy.dtype !== "float32") return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast",
  );
  return { x, dy, filterShape: a.filterShape, info };
}

let patched = false;

/** Replaces the cpu backend's Conv2DBackpropFilter (once per process). Returns true when it did. */
export function patchCpuKernels(): boolean {
  if (patched) return false;
  const original = tf.getKernel("Conv2DBackpropFilter", "cpu") as KernelConfig | undefined;
  if (!original) return false;
  const fallback = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const call = filterGradCall(args.inputs, args.attrs);
    if (!call) return fallback(args);
    // deno-lint-ignore no-explicit-any
    const backend = args.backend as any;
    const xv = backend.data.get(call.x.dataId).values as Float32Array;
    const dyv = backend.data.get(call.dy.dataId).values as Float32Array;
    return backend.makeTensorInfo(call.filterShape, "float32", filterGradient(xv, dyv, call.info));
  };
  tf.unregisterKernel("Conv2DBackpropFilter", "cpu");
  tf.registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: "cpu", kernelFunc });
  patched = true;
  return true;
}

/** dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sh+kh−top, ow·sw+kw−left, ci] · dy[b,oh,ow,co] (NHWC, no dilation). */
export function filterGradient(xv: Float32Array, dyv: Float32Array, c: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  const top = c.padInfo.top, left = c.padInfo.left;
  const dW = new Float32Array(fh * fw * ci * co);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ih0 = oh * sh - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const iw0 = ow * sw - left;
        const dyOff = ((b * outHeight + oh) * outWidth + ow) * co;
        for (let kh = 0; kh < fh; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const xOff = ((b * inHeight + ih) * inWidth + iw) * ci;
            const wBase = (kh * fw + kw) * ci * co;
            for (let c0 = 0; c0 < ci; c0++) {
              const xval = xv[xOff + c0];
              if (xval === 0) continue;
              const wo = wBase + c0 * co;
              for (let o = 0; o < co; o++) dW[wo + o] += xval * dyv[dyOff + o];
            }
          }
        }
      }
    }
  }
  return dW;
}
