/**
 * Per-kernel wall-time profile of a tfjs backend: wraps every registered kernel of the backend with
 * a timer (re-registering it), and restores the originals on {@link KernelProfiler.restore}.
 * Used by bench/train.ts to show where a training step spends its time.
 *
 * @example
 * ```ts
 * const prof = profileKernels("torch");
 * model.trainOnBatch(x, y);
 * console.table(prof.report());
 * prof.restore();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** One row of a profile: total milliseconds and call count of a kernel. */
export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

/** Handle returned by {@link profileKernels}. */
export interface KernelProfiler {
  /** Rows sorted by time, largest first. */
  report(): KernelTime[];
  reset(): void;
  restore(): void;
}

/** Starts timing every kernel of `backendName`. Nested kernel calls are counted in both. */
export function profileKernels(backendName: string): KernelProfiler {
  const originals = tf.getKernelsForBackend(backendName);
  const times = new Map<string, KernelTime>();
  for (const k of originals) {
    const inner = k.kernelFunc;
    const row: KernelTime = { kernel: k.kernelName, ms: 0, calls: 0 };
    times.set(k.kernelName, row);
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const t0 = performance.now();
        try {
          return inner(args);
        } finally {
          row.ms += performance.now() - t0;
          row.calls++;
        }
      },
    });
  }
  return {
    report: () =>
      [...times.values()].filter((r) => r.calls > 0).map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10 })).sort((
        a,
        b,
      ) => b.ms - a.ms),
    reset: () => times.forEach((r) => (r.ms = 0, r.calls = 0)),
    restore: () => {
      for (const k of originals) {
        tf.unregisterKernel(k.kernelName, backendName);
        tf.registerKernel(k);
      }
    },
  };
}
