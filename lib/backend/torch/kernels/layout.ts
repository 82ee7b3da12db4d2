/**
 * Shape and layout kernels on libtorch: Identity (shares the data, as tfjs's cpu backend does),
 * Reshape, ExpandDims, Transpose, Concat, Slice, SplitV, PadV2, Tile, Reverse, OneHot, GatherV2 and
 * its gradient UnsortedSegmentSum, Pack, Unpack, Range and Fill.
 *
 * @example
 * ```ts
 * for (const k of layoutKernels()) registerKernel({ ...k, backendName: "torch" });
 * ```
 * @module
 */
import { backend_util, type DataType, slice_util, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { DTYPE_CODE } from "../ffi.ts";
import { runOnCpu, type TorchArgs } from "../fallback.ts";
import { kernel, type KernelDef, listed, named } from "./util.ts";

const numeric = (t: TensorInfo) => t.dtype in DTYPE_CODE;

function identity(args: TorchArgs): TensorInfo {
  const { x } = named(args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function reshape(args: TorchArgs): TensorInfo | TensorInfo[] {
  const { x } = named(args);
  const shape = util.inferFromImplicitShape(args.attrs?.shape as number[], util.sizeFromShape(x.shape));
  if (!numeric(x)) return runOnCpu("Reshape", args, `${x.dtype} tensor`);
  return args.backend.run1("reshape", [x], [shape.length, ...shape]);
}

function expandDims(args: TorchArgs): TensorInfo | TensorInfo[] {
  const { input } = named(args);
  if (!numeric(input)) return runOnCpu("ExpandDims", args, `${input.dtype} tensor`);
  const rank = input.shape.length, dim = Number(args.attrs?.dim);
  const at = dim < 0 ? dim + rank + 1 : dim;
  const shape = [...input.shape.slice(0, at), 1, ...input.shape.slice(at)];
  return args.backend.run1("reshape", [input], [shape.length, ...shape]);
}

function concat(args: TorchArgs): TensorInfo | TensorInfo[] {
  const ts = listed(args);
  const [axis] = util.parseAxisParam(args.attrs?.axis as number, ts[0].shape);
  if (!ts.every((t) => numeric(t) && t.dtype === ts[0].dtype)) return runOnCpu("Concat", args, "mixed dtypes");
  const outShape = backend_util.computeOutShape(ts.map((t) => t.shape), axis);
  const nonEmpty = ts.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (nonEmpty.length === 0) return fill(args.backend, outShape, 0, ts[0].dtype);
  if (nonEmpty.length === 1) return identity({ ...args, inputs: { x: nonEmpty[0] } });
  return args.backend.run1("concat", nonEmpty, [axis]);
}

function fill(backend: TorchArgs["backend"], shape: number[], value: number, dtype: DataType): TensorInfo {
  return backend.run1("fill", [], [DTYPE_CODE[dtype], value, shape.length, ...shape], dtype);
}

function layoutOps(): KernelDef[] {
  return [
    kernel("Transpose", (args) => {
      const { x } = named(args);
      if (!numeric(x)) return runOnCpu("Transpose", args, `${x.dtype} tensor`);
      const perm = args.attrs?.perm as number[];
      return args.backend.run1("transpose", [x], [perm.length, ...perm]);
    }),
    kernel("Slice", (args) => {
      const { x } = named(args);
      if (!numeric(x)) return runOnCpu("Slice", args, `${x.dtype} tensor`);
      const [begin, size] = slice_util.parseSliceParams(
        x,
        args.attrs?.begin as number | number[],
        args.attrs?.size as number | number[],
      );
      return args.backend.run1("slice", [x], [x.shape.length, ...begin, ...size]);
    }),
    kernel("SplitV", (args) => {
      const { x } = named(args);
      if (!numeric(x)) return runOnCpu("SplitV", args, `${x.dtype} tensor`);
      const [axis] = util.parseAxisParam(args.attrs?.axis as number, x.shape);
      const sizes = backend_util.prepareSplitSize(x, args.attrs?.numOrSizeSplits as number | number[], axis);
      return args.backend.run("split", [x], [axis, sizes.length, ...sizes], undefined, sizes.length);
    }),
    kernel("PadV2", (args) => {
      const { x } = named(args);
      if (!numeric(x)) return runOnCpu("PadV2", args, `${x.dtype} tensor`);
      const paddings = args.attrs?.paddings as [number, number][];
      return args.backend.run1("pad", [x], [x.shape.length, ...paddings.flat(), Number(args.attrs?.constantValue)]);
    }),
    kernel("Tile", (args) => {
      const { x } = named(args);
      if (!numeric(x)) return runOnCpu("Tile", args, `${x.dtype} tensor`);
      const reps = args.attrs?.reps as number[];
      return args.backend.run1("tile", [x], [reps.length, ...reps]);
    }),
    kernel("Reverse", (args) => {
      const { x } = named(args);
      if (!numeric(x)) return runOnCpu("Reverse", args, `${x.dtype} tensor`);
      const dims = util.parseAxisParam(args.attrs?.dims as number | number[], x.shape);
      return args.backend.run1("reverse", [x], [dims.length, ...dims]);
    }),
    kernel("OneHot", (args) => {
      const { indices } = named(args);
      const a = args.attrs as { depth: number; onValue: number; offValue: number; dtype: DataType };
      if (indices.dtype !== "int32" || !(a.dtype in DTYPE_CODE)) return runOnCpu("OneHot", args, `${a.dtype} output`);
      return args.backend.run1("one_hot", [indices], [a.depth, a.onValue, a.offValue, DTYPE_CODE[a.dtype]], a.dtype);
    }),
    kernel("GatherV2", (args) => {
      const { x, indices } = named(args);
      const batchDims = Number(args.attrs?.batchDims ?? 0);
      if (!numeric(x) || indices.dtype !== "int32" || batchDims !== 0) {
        return runOnCpu("GatherV2", args, batchDims !== 0 ? "batchDims" : `${x.dtype}/${indices.dtype} tensors`);
      }
      const [axis] = util.parseAxisParam(args.attrs?.axis as number, x.shape);
      return args.backend.run1("gather", [x, indices], [axis]);
    }),
    kernel("Pack", (args) => {
      const ts = listed(args);
      if (!ts.every((t) => numeric(t) && t.dtype === ts[0].dtype)) return runOnCpu("Pack", args, "mixed dtypes");
      const [axis] = util.parseAxisParam(args.attrs?.axis as number, [...ts[0].shape, 1]);
      return args.backend.run1("stack", ts, [axis]);
    }),
    kernel("Unpack", (args) => {
      const { value } = named(args);
      if (!numeric(value)) return runOnCpu("Unpack", args, `${value.dtype} tensor`);
      const [axis] = util.parseAxisParam(args.attrs?.axis as number, value.shape);
      return args.backend.run("unstack", [value], [axis], undefined, value.shape[axis]);
    }),
    kernel("UnsortedSegmentSum", (args) => {
      const { x, segmentIds } = named(args);
      if (!numeric(x) || segmentIds.dtype !== "int32" || segmentIds.shape.length !== 1) {
        return runOnCpu("UnsortedSegmentSum", args, "segment ids that are not one int32 per row");
      }
      return args.backend.run1("segment_sum", [x, segmentIds], [Number(args.attrs?.numSegments)]);
    }),
    kernel("Range", (args) => {
      const a = args.attrs as { start: number; stop: number; step: number; dtype: "float32" | "int32" };
      const empty = a.start === a.stop || (a.start < a.stop && a.step < 0) || (a.stop < a.start && a.step > 0);
      if (empty) return fill(args.backend, [0], 0, a.dtype);
      return args.backend.run1("range", [], [a.start, a.stop, a.step, DTYPE_CODE[a.dtype]], a.dtype);
    }),
    kernel("Fill", (args) => {
      const a = args.attrs as { shape: number[]; value: number; dtype: DataType };
      if (!(a.dtype in DTYPE_CODE)) return runOnCpu("Fill", args, `${a.dtype} output`);
      return fill(args.backend, a.shape, Number(a.value), a.dtype);
    }),
  ];
}

/** Kernel configs of the layout ops. */
export function layoutKernels(): KernelDef[] {
  return [
    kernel("Identity", identity),
    kernel("Reshape", reshape),
    kernel("ExpandDims", expandDims),
    kernel("Concat", concat),
    ...layoutOps(),
  ];
}
