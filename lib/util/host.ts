/**
 * The machine a measurement ran on, as the OS reports it: `lscpu`'s model name, whether the CPU has bf16
 * instructions (avx512_bf16 or amx_bf16 among its flags), the cores, and the 1-minute load average. Records under
 * results/ carry it, so a number says where it came from and how busy the machine was.
 *
 * @example
 * ```ts
 * const start = hostInfo();           // { cpu: "AMD EPYC", bf16: true, cores: 2, load1: 1.3 }
 * // … measure …
 * const record = { machine: { ...start, loadEnd: Deno.loadavg()[0] } };
 * ```
 * @module
 */

/** The CPU and its load when asked. */
export interface HostInfo {
  /** `lscpu`'s "Model name" (from /proc/cpuinfo's "model name" where lscpu is missing; "unknown" off Linux). */
  cpu: string;
  /** Whether the CPU flags include avx512_bf16 or amx_bf16 (bf16 runs natively, not emulated). */
  bf16: boolean;
  cores: number;
  /** 1-minute load average now. */
  load1: number;
}

/** The machine part of a bench record under results/: the CPU, and its load at the start and the end. */
export interface RecordedMachine {
  cpu: string;
  bf16: boolean;
  cores: number;
  /** 1-minute load average when the measurement started and when it ended. */
  loadStart: number;
  loadEnd: number;
  /** What else ran (this machine is shared: a record never claims an idle one). */
  note: string;
}

/** The CPU flags of bf16 instructions: with one of them, bf16 convs and matmuls run natively, not emulated. */
export const BF16_FLAGS: readonly string[] = ["avx512_bf16", "amx_bf16"];

/** Whether a CPU's flags include bf16 instructions ({@link BF16_FLAGS}). */
export function hasBf16(flags: readonly string[]): boolean {
  return flags.some((f) => BF16_FLAGS.includes(f));
}

/** A CPU as the OS names it, with its flags. */
export interface CpuIdentity {
  cpu: string;
  flags: string[];
}

/**
 * The test hook FER_TEST_CPU_FLAGS: when set, its space-separated words are the CPU's flags in place of the
 * OS's (the name stays the machine's), so a test plays a CPU without bf16 instructions on one that has them.
 */
export const TEST_CPU_FLAGS_ENV = "FER_TEST_CPU_FLAGS";

/**
 * The model name and flags from `lscpu` (or /proc/cpuinfo); "unknown" and no flags where neither exists;
 * the flags of {@link TEST_CPU_FLAGS_ENV} where a test set it.
 *
 * @example
 * ```ts
 * hasBf16(cpuIdentity().flags); // true on a Zen 4 or Sapphire Rapids, false on an AVX2-only EPYC
 * ```
 */
export function cpuIdentity(): CpuIdentity {
  const own = osCpuIdentity(), faked = Deno.env.get(TEST_CPU_FLAGS_ENV);
  return faked === undefined ? own : { cpu: own.cpu, flags: faked.split(/\s+/).filter((f) => f !== "") };
}

function osCpuIdentity(): CpuIdentity {
  const grab = (text: string, key: RegExp) => key.exec(text)?.[1]?.trim();
  try {
    const out = new Deno.Command("lscpu", { env: { LC_ALL: "C" }, stdout: "piped", stderr: "null" }).outputSync();
    const text = new TextDecoder().decode(out.stdout);
    const cpu = out.success ? grab(text, /^Model name:\s*(.+)$/m) : undefined;
    if (cpu) return { cpu, flags: (grab(text, /^Flags:\s*(.+)$/m) ?? "").split(/\s+/) };
  } catch { /* no lscpu: fall back to /proc/cpuinfo */ }
  try {
    const text = Deno.readTextFileSync("/proc/cpuinfo");
    return {
      cpu: grab(text, /^model name\s*:\s*(.+)$/m) ?? "unknown",
      flags: (grab(text, /^flags\s*:\s*(.+)$/m) ?? "").split(/\s+/),
    };
  } catch {
    return { cpu: "unknown", flags: [] };
  }
}

/** The machine now: see {@link HostInfo}. */
export function hostInfo(): HostInfo {
  const { cpu, flags } = cpuIdentity();
  return {
    cpu,
    bf16: hasBf16(flags),
    cores: navigator.hardwareConcurrency,
    load1: Deno.loadavg()[0],
  };
}
