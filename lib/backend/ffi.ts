/**
 * The FFI binding of build/libfer_kernels-*.so: symbol table and a thin typed wrapper that turns a
 * non-zero status into an Error carrying the library's message.
 *
 * @example
 * ```ts
 * const lib = openNative("/path/libfer_kernels-abc.so", 2);
 * lib.check(lib.symbols.fer_conv_fwd(geo, x, w, null, y, 0), "conv2d");
 * ```
 * @module
 */

const SYMBOLS = {
  fer_last_error: { parameters: [], result: "pointer" },
  fer_init: { parameters: ["i32"], result: "i32" },
  fer_threads: { parameters: [], result: "i32" },
  fer_conv_fwd: { parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "i32"], result: "i32" },
  fer_conv_bwd_data: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  fer_conv_bwd_weights: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  fer_matmul: {
    parameters: ["buffer", "buffer", "buffer", "i32", "i32", "i32", "i32", "i32", "i32", "i64", "i64"],
    result: "i32",
  },
  fer_maxpool_fwd: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  fer_maxpool_bwd: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  fer_binary: {
    parameters: ["i32", "buffer", "buffer", "buffer", "i32", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  fer_unary: { parameters: ["i32", "buffer", "buffer", "i64", "f32"], result: "i32" },
  fer_reduce: { parameters: ["i32", "buffer", "buffer", "i64", "i64", "i64"], result: "i32" },
  fer_tile: { parameters: ["buffer", "buffer", "i32", "buffer", "buffer"], result: "i32" },
  fer_adam: {
    parameters: [
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "i64",
      "f32",
      "f32",
      "f32",
      "f32",
      "f32",
      "f32",
    ],
    result: "i32",
  },
  fer_bn_sums: { parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "i64", "i64"], result: "i32" },
  fer_space_to_batch: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  fer_batch_to_space: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  fer_copy_rows: { parameters: ["buffer", "buffer", "i64", "i64", "i64", "i64"], result: "i32" },
  fer_batchnorm: { parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "i64", "i64"], result: "i32" },
} as const;

/** The opened library. */
export interface NativeLib {
  symbols: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
  /** Throws with the library's last error message when status is not 0. */
  check(status: number, what: string): void;
  close(): void;
}

/** dlopens the library and initialises oneDNN with the given OpenMP thread count (0 = default). */
export function openNative(path: string, threads: number): NativeLib {
  const lib = Deno.dlopen(path, SYMBOLS);
  const check = (status: number, what: string): void => {
    if (status === 0) return;
    const p = lib.symbols.fer_last_error();
    const msg = p ? new Deno.UnsafePointerView(p).getCString() : "unknown error";
    throw new Error(`fer-native ${what}: ${msg} (status ${status})`);
  };
  check(lib.symbols.fer_init(threads), "init");
  return { symbols: lib.symbols, check, close: () => lib.close() };
}
