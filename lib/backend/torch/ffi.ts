/**
 * The FFI binding of build/libfer_torch-*.so (native/torch_shim.cc): tensors are int32 slot ids in
 * the shim's table; ops are called by name (looked up once) with input slots and number arguments,
 * and each output comes back as its slot, dtype and shape. Errors throw with the shim's message.
 *
 * @example
 * ```ts
 * const lib = openTorch(path);
 * lib.init({ threads: 2, device: -1, precision: "fp32" });
 * const a = lib.upload(new Float32Array([1, 2]), [2], "float32");
 * const [sum] = lib.run("add", [a, a], []);
 * lib.download(sum.slot, "float32", 2); // Float32Array [2, 4]
 * ```
 * @module
 */
import type { DataType } from "@tensorflow/tfjs-core";

const SYMBOLS = {
  fer_torch_last_error: { parameters: [], result: "pointer" },
  fer_torch_info: { parameters: [], result: "pointer" },
  fer_torch_init: { parameters: ["i32", "i32", "i32", "i32"], result: "i32" },
  fer_torch_op_id: { parameters: ["buffer"], result: "i32" },
  fer_torch_run: { parameters: ["i32", "buffer", "i32", "buffer", "i32", "buffer", "i32", "i32"], result: "i32" },
  fer_torch_from_host: { parameters: ["buffer", "buffer", "i32", "i32"], result: "i32" },
  fer_torch_to_host: { parameters: ["i32", "buffer", "f64"], result: "i32" },
  fer_torch_free: { parameters: ["i32"], result: "void" },
  fer_torch_sync: { parameters: [], result: "i32" },
  fer_torch_bytes: { parameters: ["buffer", "i32"], result: "f64" },
  fer_torch_cache_cpu: { parameters: ["f64"], result: "i32" },
  fer_torch_cpu_cached: { parameters: [], result: "f64" },
} as const;

/** Compute precision of convolutions and matmuls. */
export type Precision = "fp32" | "tf32" | "bf16";
/** The precisions accepted by `--precision`. */
export const PRECISIONS: readonly Precision[] = ["fp32", "tf32", "bf16"];

/** dtype codes shared with the shim. */
export const DTYPE_CODE: Record<string, number> = { float32: 0, int32: 1, bool: 2 };
const CODE_DTYPE: DataType[] = ["float32", "int32", "bool"];
const OUT_STRIDE = 11;

/** One output of an op. */
export interface TorchOut {
  slot: number;
  dtype: DataType;
  shape: number[];
}

/** What the shim reports about its libtorch (fer_torch_info). */
export interface TorchInfo {
  torch: string;
  cuda_devices: number;
  cudnn: boolean;
  device: string;
  threads: number;
  bf16: boolean;
  tf32: boolean;
  sync: boolean;
}

/** Options of {@link openTorch}. */
export interface TorchInitOptions {
  /** Intra-op threads (0: libtorch's default). */
  threads: number;
  /** -1 for the CPU, N for cuda:N. */
  device: number;
  precision: Precision;
  /** Synchronise after every op, so a device error names its op (FER_TORCH_SYNC=1). */
  sync?: boolean;
}

/** The opened shim. */
export interface TorchLib {
  /** (Re)initialises libtorch: device, threads, precision (tensors already made stay where they are). */
  init(opts: TorchInitOptions): void;
  /** Runs a named op; returns its outputs (none for the in-place optimiser updates). `maxOutputs`
   * is needed only above 64 (split, unstack). */
  run(op: string, inputs: number[], args: number[], maxOutputs?: number): TorchOut[];
  /** {@link run} for an op whose outputs from `shown` on stay in libtorch as it made them (bf16, int64), beside the
   * first, for a later op of the shim: their slots only. */
  runKeeping(op: string, inputs: number[], args: number[], shown: number): { outs: TorchOut[]; kept: number[] };
  upload(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: DataType): number;
  download(slot: number, dtype: DataType, size: number): Float32Array | Int32Array | Uint8Array;
  free(slot: number): void;
  /** Waits for the device (a no-op on the CPU). */
  sync(): void;
  info(): TorchInfo;
  /** Bytes held by these tensors, each storage once (views share their base's). */
  bytes(slots: Int32Array): number;
  /** Keeps freed CPU tensor blocks for reuse, up to `limitBytes` (the first call's limit stays). */
  cacheCpu(limitBytes: number): void;
  /** Bytes the CPU cache holds in freed blocks now. */
  cpuCached(): number;
}

/** dlopens the shim; call `init` before making tensors. */
export function openTorch(path: string): TorchLib {
  const lib = Deno.dlopen(path, SYMBOLS);
  const s = lib.symbols;
  const cstr = (p: Deno.PointerValue) => (p ? new Deno.UnsafePointerView(p).getCString() : "");
  const fail = (what: string): never => {
    throw new Error(`torch ${what}: ${cstr(s.fer_torch_last_error()) || "unknown error"}`);
  };

  const ids = new Map<string, number>();
  const enc = new TextEncoder();
  let inBuf = new Int32Array(64), argBuf = new Float64Array(256), outBuf = new Int32Array(OUT_STRIDE * 64);
  const shapeBuf = new Int32Array(8);
  // Runs an op; its outputs are in outBuf, those from `shown` on (unless -1) as libtorch made them.
  const call = (op: string, inputs: number[], args: number[], maxOutputs: number, shown: number): number => {
    const id = opId(op);
    if (inputs.length > inBuf.length) inBuf = new Int32Array(inputs.length * 2);
    if (args.length > argBuf.length) argBuf = new Float64Array(args.length * 2);
    if (maxOutputs * OUT_STRIDE > outBuf.length) outBuf = new Int32Array(maxOutputs * OUT_STRIDE);
    inBuf.set(inputs);
    argBuf.set(args);
    const cap = outBuf.length / OUT_STRIDE;
    const n = s.fer_torch_run(id, inBuf, inputs.length, argBuf, args.length, outBuf, cap, shown);
    if (n < 0) fail("op");
    return n;
  };
  // (a loop, not Array.from of a subarray: a view and an iterator for each output of each op)
  const out = (k: number): TorchOut => {
    const o = k * OUT_STRIDE, rank = outBuf[o + 2];
    const shape = new Array<number>(rank);
    for (let d = 0; d < rank; d++) shape[d] = outBuf[o + 3 + d];
    return { slot: outBuf[o], dtype: CODE_DTYPE[outBuf[o + 1]], shape };
  };
  const outs = (first: number, end: number): TorchOut[] => {
    const list: TorchOut[] = [];
    for (let k = first; k < end; k++) list.push(out(k));
    return list;
  };
  const opId = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = s.fer_torch_op_id(enc.encode(name + "\0"));
      if (id < 0) fail(name);
      ids.set(name, id);
    }
    return id;
  };

  return {
    init(opts) {
      const precision = PRECISIONS.indexOf(opts.precision);
      if (precision < 0) throw new Error(`unknown precision "${opts.precision}" (have ${PRECISIONS.join(", ")})`);
      if (s.fer_torch_init(opts.threads, opts.device, precision, opts.sync ? 1 : 0) !== 0) fail("init");
    },
    run(op, inputs, args, maxOutputs = 0) {
      return outs(0, call(op, inputs, args, maxOutputs, -1));
    },
    runKeeping(op, inputs, args, shown) {
      const n = call(op, inputs, args, 0, shown);
      const kept: number[] = [];
      for (let k = shown; k < n; k++) kept.push(outBuf[k * OUT_STRIDE]);
      return { outs: outs(0, Math.min(n, shown)), kept };
    },
    upload(values, shape, dtype) {
      const code = DTYPE_CODE[dtype];
      if (code === undefined) throw new Error(`torch: dtype ${dtype} cannot live in libtorch`);
      if (shape.length > shapeBuf.length) throw new Error(`torch: rank ${shape.length} > 8`);
      shapeBuf.set(shape);
      const data = values.length === 0 ? new Uint8Array(4) : values;
      const slot = s.fer_torch_from_host(data, shapeBuf, shape.length, code);
      if (slot < 0) fail("upload");
      return slot;
    },
    download(slot, dtype, size) {
      const out = dtype === "float32"
        ? new Float32Array(size)
        : dtype === "int32"
        ? new Int32Array(size)
        : new Uint8Array(size);
      if (s.fer_torch_to_host(slot, size === 0 ? new Uint8Array(4) : out, out.byteLength) !== 0) fail("read");
      return out;
    },
    free: (slot) => s.fer_torch_free(slot),
    sync() {
      if (s.fer_torch_sync() !== 0) fail("sync");
    },
    info: () => JSON.parse(cstr(s.fer_torch_info())) as TorchInfo,
    bytes: (slots) => s.fer_torch_bytes(slots, slots.length),
    cacheCpu(limitBytes) {
      if (s.fer_torch_cache_cpu(limitBytes) !== 0) fail("cache");
    },
    cpuCached: () => s.fer_torch_cpu_cached(),
  };
}
