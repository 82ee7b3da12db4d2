/**
 * The fault suite's tools (tests/faults_*_test.ts): run the `fer` CLI as a user would, in a child
 * process that may be killed, on tiny generated data — a synthetic spec that trains in a second, CK+48
 * folders and FER2013 csv files written on the spot — and read back what a run left on disk.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const spec = await tinySpec(dir, { epochs: 3 });
 * const r = await fer(["train", "--config", spec, "--runs", `${dir}/runs`, "--json"]);
 * const [run] = await runDirs(`${dir}/runs`);
 * ```
 * @module
 */
import { syntheticDataset, writeImage } from "../lib/data/mod.ts";

const MAIN = new URL("../lib/cli/main.ts", import.meta.url).pathname;

/** What a `fer` process did. */
export interface Ran {
  code: number;
  /** "SIGKILL" when a fail point or the test killed it. */
  signal: Deno.Signal | null;
  out: string;
  err: string;
}

/** Options of {@link fer}. */
export interface FerOptions {
  /** `FER_FAILPOINT` of the child: `<name>:<n>` (see lib/util/failpoint.ts). */
  failpoint?: string;
  /** SIGKILL the child after this many milliseconds (a kill at a random moment). */
  killAfterMs?: number;
  /** Run the child with V8's gc exposed, so that the run's memory samples follow a full collection. */
  exposeGc?: boolean;
}

/** Starts `deno task fer <args>` (quiet progress, the plain cpu backend unless args name one). */
export function spawnFer(args: string[], o: FerOptions = {}): { child: Deno.ChildProcess; done: Promise<Ran> } {
  const env: Record<string, string> = { FER_PROGRESS: "silent", NO_COLOR: "1" };
  if (o.failpoint) env.FER_FAILPOINT = o.failpoint;
  const backend = args.includes("--backend") || !["train", "evaluate", "predict"].includes(args[0])
    ? []
    : ["--backend", "cpu"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...o.exposeGc ? ["--v8-flags=--expose-gc"] : [], MAIN, ...args, ...backend],
    stdout: "piped",
    stderr: "piped",
    env,
  }).spawn();
  const timer = o.killAfterMs === undefined ? undefined : setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // it had already exited
    }
  }, o.killAfterMs);
  const done = child.output().then((r) => {
    clearTimeout(timer);
    const dec = new TextDecoder();
    return { code: r.code, signal: r.signal, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
  });
  return { child, done };
}

/** Runs `deno task fer <args>` to the end (or its kill). */
export function fer(args: string[], o: FerOptions = {}): Promise<Ran> {
  return spawnFer(args, o).done;
}

/** The JSON of the last stdout line (`--json` summaries). */
export function lastJson<T = Record<string, unknown>>(r: Ran): T {
  return JSON.parse(r.out.trim().split("\n").at(-1)!);
}

/** Options of {@link tinySpec}. */
export interface TinySpecOptions {
  epochs?: number;
  /** Synthetic faces (default 60: 5 subjects). */
  n?: number;
  /** k-fold by subject instead of the default 80/20 hold-out split. */
  folds?: number;
  lr?: number;
}

/**
 * Writes `<dir>/spec.json`: synthetic 16×16 faces and cpu-tiny without its feature extraction or LBP
 * stream, batches of 8 with augmentation — a real run of a few hundred milliseconds per epoch.
 */
export async function tinySpec(dir: string, o: TinySpecOptions = {}): Promise<string> {
  const path = `${dir}/spec.json`;
  const spec = {
    dataset: { dataset: "synthetic", n: o.n ?? 60, size: 16 },
    model: { preset: "cpu-tiny", inputSize: 16, featureExtraction: false, lbp: "none", fcUnits: [16] },
    train: { preset: "default", epochs: o.epochs ?? 4, batchSize: 8, lr: o.lr ?? 1e-3 },
    ...(o.folds ? { protocol: { kind: "kfold", k: o.folds, by: "subject", seed: 42 } } : {}),
  };
  await Deno.writeTextFile(path, JSON.stringify(spec));
  return path;
}

/**
 * A temporary folder for one test file, removed by a `Deno.test.afterAll` hook once the file's tests are over
 * (passed, failed or filtered out): teardown, not a test that asserts nothing.
 */
export function suiteTempDir(prefix: string): string {
  const dir = Deno.makeTempDirSync({ prefix });
  Deno.test.afterAll(() => Deno.remove(dir, { recursive: true }));
  return dir;
}

/** The run folders under `runs` (none when it does not exist). */
export async function runDirs(runs: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(runs)) if (e.isDirectory) out.push(`${runs}/${e.name}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

/** Files under `dir` whose name ends in `.tmp-<pid>` (left by a killed atomic write). */
export async function tempFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await tempFiles(p));
    else if (/\.tmp-\d+$/.test(e.name)) out.push(p);
  }
  return out;
}

/** A run's record. */
// deno-lint-ignore no-explicit-any
export async function readRecord(dir: string): Promise<any> {
  return JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
}

/**
 * Writes a CK+48 folder `<root>/<class>/S<subject>_001_<frame>.png` with `counts[class]` synthetic faces
 * (16×16) per class; a count of 0 makes an empty class folder.
 */
export async function ck48(root: string, counts: Record<string, number>): Promise<void> {
  const faces = syntheticDataset({ n: 7, size: 16 });
  for (const [cls, n] of Object.entries(counts)) {
    await Deno.mkdir(`${root}/${cls}`, { recursive: true });
    for (let i = 0; i < n; i++) {
      const subject = `S${String(10 + (i % 4)).padStart(3, "0")}`;
      const img = await faces.load(faces.samples[i % 7], { size: 16 });
      await writeImage(`${root}/${cls}/${subject}_001_${String(i + 1).padStart(8, "0")}.png`, img);
    }
  }
}

/** One FER2013 csv row of a flat grey 48×48 face. */
export function csvRow(emotion: string, usage: string): string {
  return `${emotion},${new Array(48 * 48).fill("128").join(" ")},${usage}`;
}

/** The FER2013 csv header. */
export const CSV_HEADER = "emotion,pixels,Usage";
