/**
 * The "torch" KernelBackend: every numeric tensor is a libtorch tensor (a slot of the shim) on the
 * CPU or a CUDA device; `read`/`readSync` copy it to the host after synchronising the device,
 * `disposeData` frees it, and `memory()` adds libtorch's own count and bytes to tf.memory().
 * String tensors (never computed on) stay on the host. Kernels call {@link TorchBackend.run}.
 *
 * @example
 * ```ts
 * const backend = new TorchBackend(lib);
 * const [y] = backend.run("relu", [x], []); // x, y: TensorInfo
 * ```
 * @module
 */
import {
  backend_util,
  type BackendTimingInfo,
  type DataId,
  DataStorage,
  type DataType,
  engine,
  KernelBackend,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { DTYPE_CODE, type TorchInfo, type TorchLib } from "./ffi.ts";

interface TensorData {
  /** Shim slot, or -1 for a host-only (string) tensor. */
  slot: number;
  dtype: DataType;
  shape: number[];
  refCount: number;
  /** Host values of a string tensor. */
  strings?: backend_util.BackendValues;
  /** Shim slots kept beside this tensor for its gradient (a max pool's argmax), freed with it. */
  kept?: number[];
}

function typed(values: backend_util.BackendValues, dtype: DataType): Float32Array | Int32Array | Uint8Array {
  if (dtype === "float32") {
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }
  if (dtype === "int32") return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  if (dtype === "bool") return values instanceof Uint8Array ? values : Uint8Array.from(values as ArrayLike<number>);
  throw new Error(`torch backend: dtype ${dtype} is not supported`);
}

/** tfjs's KernelBackend over libtorch. */
export class TorchBackend extends KernelBackend {
  /** Capability read by lib/model/atrous.ts: Conv2D's gradient supports dilation here. */
  readonly dilatedConvGradient = true;
  readonly lib: TorchLib;
  readonly device: TorchInfo;
  private readonly store: DataStorage<TensorData>;
  /** The shim slots this backend holds (the shim's table is shared by every isolate of the process). */
  private readonly slots = new Set<number>();

  constructor(lib: TorchLib) {
    super();
    this.lib = lib;
    this.device = lib.info();
    this.store = new DataStorage<TensorData>(this, engine());
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    const dataId = {};
    this.move(dataId, values, shape, dtype, 1);
    return dataId;
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    if (dtype === "string") {
      this.store.set(dataId, { slot: -1, dtype, shape, refCount, strings: values });
      return;
    }
    const v = values ?? new (dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : Uint8Array)(
      util.sizeFromShape(shape),
    );
    const slot = this.lib.upload(typed(v, dtype), shape, dtype);
    this.slots.add(slot);
    this.store.set(dataId, { slot, dtype, shape, refCount });
  }

  makeTensorInfo(shape: number[], dtype: DataType, values?: backend_util.BackendValues): TensorInfo {
    const dataId = this.write(values ?? null as unknown as backend_util.BackendValues, shape, dtype);
    return { dataId, shape, dtype };
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const d = this.store.get(dataId);
    if (!d) throw new Error("torch backend: reading a disposed tensor");
    if (d.slot < 0) return d.strings!;
    return this.lib.download(d.slot, d.dtype, util.sizeFromShape(d.shape));
  }

  override read(dataId: DataId): Promise<backend_util.BackendValues> {
    return Promise.resolve(this.readSync(dataId));
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const d = this.store.get(dataId);
    if (!d) return true;
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    if (d.slot >= 0) this.freeSlot(d.slot);
    if (d.kept) { for (const slot of d.kept) this.freeSlot(slot); }
    this.store.delete(dataId);
    return true;
  }

  private freeSlot(slot: number): void {
    this.lib.free(slot);
    this.slots.delete(slot);
  }

  override refCount(dataId: DataId): number {
    return this.store.get(dataId)?.refCount ?? 0;
  }

  override incRef(dataId: DataId): void {
    const d = this.store.get(dataId);
    if (d) d.refCount++;
  }

  override numDataIds(): number {
    return this.store.numDataIds();
  }

  override memory(): { unreliable: boolean; reasons?: string[] } & Record<string, unknown> {
    return {
      unreliable: false,
      numTorchTensors: this.slots.size,
      numBytesInTorch: this.lib.bytes(Int32Array.from(this.slots)),
      device: this.device.device,
    };
  }

  override floatPrecision(): 16 | 32 {
    return 32;
  }

  override timerAvailable(): boolean {
    return true;
  }

  override time(f: () => void): Promise<BackendTimingInfo> {
    const t0 = performance.now();
    f();
    this.lib.sync();
    return Promise.resolve({ kernelMs: performance.now() - t0 });
  }

  override dispose(): void {}

  /** The slot of a tensor (-1 for undefined, an absent optional input). */
  slot(t: TensorInfo | undefined): number {
    if (t === undefined || t === null) return -1;
    const d = this.store.get(t.dataId);
    if (!d) throw new Error("torch backend: tensor was disposed or belongs to another backend");
    if (d.slot < 0) throw new Error(`torch backend: a ${d.dtype} tensor cannot enter a libtorch op`);
    return d.slot;
  }

  /** Runs a shim op on tfjs tensors; returns new TensorInfos (cast to `dtype` when given). */
  run(
    op: string,
    inputs: (TensorInfo | undefined)[],
    args: number[],
    dtype?: DataType,
    maxOutputs?: number,
  ): TensorInfo[] {
    const outs = this.lib.run(op, inputs.map((t) => this.slot(t)), args, maxOutputs);
    return outs.map((o) => {
      let { slot, dtype: dt } = o;
      if (dtype !== undefined && dt !== dtype) {
        const [c] = this.lib.run("cast", [slot], [DTYPE_CODE[dtype]]);
        this.lib.free(slot);
        slot = c.slot;
        dt = dtype;
      }
      return this.adopt(slot, dt, o.shape);
    });
  }

  /** A new tfjs tensor holding a shim slot (and the slots kept beside it). */
  private adopt(slot: number, dtype: DataType, shape: number[], kept?: number[]): TensorInfo {
    const dataId = {};
    this.slots.add(slot);
    if (kept) { for (const s of kept) this.slots.add(s); }
    this.store.set(dataId, kept ? { slot, dtype, shape, refCount: 1, kept } : { slot, dtype, shape, refCount: 1 });
    return { dataId, shape, dtype };
  }

  /** {@link run} for a single-output op. */
  run1(op: string, inputs: (TensorInfo | undefined)[], args: number[], dtype?: DataType): TensorInfo {
    return this.run(op, inputs, args, dtype)[0];
  }

  /**
   * Runs an op whose first `shown` outputs are its results and whose other outputs stay in libtorch beside the
   * first, as libtorch made them (bf16, int64) and never seen by tfjs, until it is disposed (a max pool's argmax for
   * its gradient); see {@link runWithKept}.
   */
  runKeeping(op: string, inputs: TensorInfo[], args: number[], shown = 1): TensorInfo[] {
    const { outs, kept } = this.lib.runKeeping(op, inputs.map((t) => this.slot(t)), args, shown);
    return outs.map((o, i) => this.adopt(o.slot, o.dtype, o.shape, i === 0 ? kept : undefined));
  }

  /**
   * {@link run} with the slots kept beside `owner` appended to the inputs; null when `owner` keeps none (it was
   * made by another op, or outside a recorded gradient), so the caller runs its op without them.
   */
  runWithKept(op: string, inputs: TensorInfo[], owner: TensorInfo, args: number[]): TensorInfo[] | null {
    const kept = this.store.get(owner.dataId)?.kept;
    if (!kept?.length) return null;
    const outs = this.lib.run(op, [...inputs.map((t) => this.slot(t)), ...kept], args);
    return outs.map((o) => this.adopt(o.slot, o.dtype, o.shape));
  }
}
