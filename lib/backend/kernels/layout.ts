/**
 * Data-movement kernels of the dilated (atrous) convolution and of channel concatenation:
 * SpaceToBatchND / BatchToSpaceND for 4-D NHWC with 2-D blocks, SplitV and Concat along any axis
 * as row copies. tfjs's cpu versions pad/transpose element by element, which made them the largest
 * items of the paper model's step once the convolutions were native.
 *
 * @example
 * ```ts
 * for (const k of layoutKernels(ctx)) registerKernel({ ...k, backendName: "fer-native" });
 * ```
 * @module
 */
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { cpuKernel, f32, isF32, type KernelArgs, type KernelContext, output } from "./util.ts";

/** Kernel configs (without backendName) for layout changes. */
export function layoutKernels(ctx: KernelContext): Omit<KernelConfig, "backendName">[] {
  const { lib } = ctx;
  const s = lib.symbols;
  const fallback = (name: string, args: KernelArgs) => cpuKernel(name)(args as Parameters<KernelFunc>[0]) as TensorInfo;

  const spaceToBatch = (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    const { blockShape, paddings } = args.attrs as unknown as { blockShape: number[]; paddings: number[][] };
    if (x.shape.length !== 4 || blockShape.length !== 2 || !isF32(args.backend, x)) {
      return fallback("SpaceToBatchND", args);
    }
    const [n, h, w, c] = x.shape, [bh, bw] = blockShape;
    const oh = (h + paddings[0][0] + paddings[0][1]) / bh, ow = (w + paddings[1][0] + paddings[1][1]) / bw;
    const shape = [bh * bw * n, oh, ow, c];
    const y = new Float32Array(util.sizeFromShape(shape));
    const geo = Int32Array.from([n, h, w, c, bh, bw, paddings[0][0], paddings[1][0], oh, ow]);
    lib.check(s.fer_space_to_batch(f32(args.backend, x), y, geo), "SpaceToBatchND");
    return output(args.backend, shape, y);
  };

  const batchToSpace = (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    const { blockShape, crops } = args.attrs as unknown as { blockShape: number[]; crops: number[][] };
    if (x.shape.length !== 4 || blockShape.length !== 2 || !isF32(args.backend, x)) {
      return fallback("BatchToSpaceND", args);
    }
    const [nb, ih, iw, c] = x.shape, [bh, bw] = blockShape;
    const n = nb / (bh * bw);
    const oh = ih * bh - crops[0][0] - crops[0][1], ow = iw * bw - crops[1][0] - crops[1][1];
    const shape = [n, oh, ow, c];
    const y = new Float32Array(util.sizeFromShape(shape));
    const geo = Int32Array.from([n, ih, iw, c, bh, bw, crops[0][0], crops[1][0], oh, ow]);
    lib.check(s.fer_batch_to_space(f32(args.backend, x), y, geo), "BatchToSpaceND");
    return output(args.backend, shape, y);
  };

  const splitV = (args: KernelArgs): TensorInfo[] => {
    const x = args.inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    if (!isF32(args.backend, x)) return cpuKernel("SplitV")(args as Parameters<KernelFunc>[0]) as TensorInfo[];
    const ax = util.parseAxisParam(axis, x.shape)[0];
    const dim = x.shape[ax];
    const sizes = typeof numOrSizeSplits === "number"
      ? new Array(numOrSizeSplits).fill(dim / numOrSizeSplits)
      : numOrSizeSplits.map((v) => v === -1 ? dim - numOrSizeSplits.reduce((p, q) => p + (q === -1 ? 0 : q), 0) : v);
    const outer = util.sizeFromShape(x.shape.slice(0, ax)), inner = util.sizeFromShape(x.shape.slice(ax + 1));
    const xv = f32(args.backend, x);
    let start = 0;
    return sizes.map((size) => {
      const shape = [...x.shape];
      shape[ax] = size;
      const y = new Float32Array(outer * size * inner);
      lib.check(
        s.fer_copy_rows(
          xv.subarray(start * inner),
          y,
          BigInt(outer),
          BigInt(size * inner),
          BigInt(dim * inner),
          BigInt(size * inner),
        ),
        "SplitV",
      );
      start += size;
      return output(args.backend, shape, y);
    });
  };

  const concat = (args: KernelArgs): TensorInfo => {
    const xs = Object.values(args.inputs) as TensorInfo[];
    const axisAttr = (args.attrs as unknown as { axis: number }).axis;
    if (xs.length === 0 || !isF32(args.backend, ...xs) || xs.some((t) => t.shape.length !== xs[0].shape.length)) {
      return fallback("Concat", args);
    }
    const ax = util.parseAxisParam(axisAttr, xs[0].shape)[0];
    const shape = [...xs[0].shape];
    shape[ax] = xs.reduce((p, t) => p + t.shape[ax], 0);
    const outer = util.sizeFromShape(shape.slice(0, ax)), inner = util.sizeFromShape(shape.slice(ax + 1));
    const y = new Float32Array(util.sizeFromShape(shape));
    let start = 0;
    for (const t of xs) {
      const len = t.shape[ax] * inner;
      if (len > 0) {
        lib.check(
          s.fer_copy_rows(
            f32(args.backend, t),
            y.subarray(start),
            BigInt(outer),
            BigInt(len),
            BigInt(len),
            BigInt(shape[ax] * inner),
          ),
          "Concat",
        );
      }
      start += len;
    }
    return output(args.backend, shape, y);
  };

  return [
    { kernelName: "SpaceToBatchND", kernelFunc: spaceToBatch as unknown as KernelFunc },
    { kernelName: "BatchToSpaceND", kernelFunc: batchToSpace as unknown as KernelFunc },
    { kernelName: "SplitV", kernelFunc: splitV as unknown as KernelFunc },
    { kernelName: "Concat", kernelFunc: concat as unknown as KernelFunc },
  ];
}
