/**
 * Every runnable script of tools/, bench/ and web/ (a file whose code reads `Deno.args` or checks
 * `import.meta.main`), and every `deno task` that wraps one, answers `--help` with a usage line and its options
 * (exit 0), and an unknown option with one line naming it and pointing at `--help` (exit 2), not a stack trace.
 * Both run with read, env, sys and ffi permissions only (no write, run or net): a script that did its work
 * before reading its options fails on a permission, or says so on stderr, which must stay empty for --help. The
 * scripts that change the system (setup.ts installs packages, build_native.ts compiles, slurm_local.ts starts
 * daemons) must not even read a file or a variable before --help answers: Deno's permission audit
 * (DENO_AUDIT_PERMISSIONS) of their --help run stays empty. The children run a few at a time.
 *
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const NO_WORK = ["--no-prompt", "--allow-read", "--allow-env", "--allow-sys", "--allow-ffi"];
/** The bench dispatcher runs the named bench in a child process: it may run, nothing else. */
const MAY_RUN = new Set(["bench/main.ts"]);
/** Scripts whose --help touches nothing that needs a permission (files, variables, libraries). */
const UNTOUCHED = new Set(["tools/setup.ts", "tools/build_native.ts", "tools/slurm_local.ts"]);
/** Options a script's help must name, where they prove the words reached the right script. */
const NAMES: Record<string, string[]> = {
  "bench/main.ts": ["train", "lbp"],
  "bench/main.ts train": ["--net", "--sizes", "--precisions", "--python", "--paper", "--pytorch-malloc"],
  "bench/main.ts libtorch": ["--rounds", "--paper"],
  "bench/main.ts lbp": ["--reps", "--limit"],
  "bench/main.ts omp-wait": ["--loads", "--threads"],
  "tools/setup.ts": ["--bench", "--native"],
  "tools/build_native.ts": ["--force"],
  "tools/gpu_check.ts": ["--backend", "--learn", "(may be given again)", "(default webgpu)"],
};

interface Ran {
  code: number;
  out: string;
  err: string;
  /** The permission audit's lines (what the child read, wrote, ran, loaded), when asked for. */
  audit?: string[];
}

async function run(cmd: string, args: string[], o: { audit?: boolean } = {}): Promise<Ran> {
  const log = o.audit ? await Deno.makeTempFile({ suffix: ".jsonl" }) : undefined;
  try {
    const env: Record<string, string> = { NO_COLOR: "1", ...(log ? { DENO_AUDIT_PERMISSIONS: log } : {}) };
    const r = await new Deno.Command(cmd, { args, cwd: ROOT, stdout: "piped", stderr: "piped", env }).output();
    const dec = new TextDecoder();
    const audit = log ? (await Deno.readTextFile(log)).split("\n").filter(Boolean) : undefined;
    return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr), audit };
  } finally {
    if (log) await Deno.remove(log);
  }
}

/** Runs `jobs` at most `width` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}

/** Code without its comments, enough to tell whether a file reads its command line. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The runnable scripts: files of tools/, bench/ and web/ (tests aside) whose code reads the command line. */
async function commands(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ["tools", "bench", "web"]) {
    for await (const e of Deno.readDir(`${ROOT}${dir}`)) {
      if (!e.isFile || !e.name.endsWith(".ts") || e.name.endsWith("_test.ts")) continue;
      const text = code(await Deno.readTextFile(`${ROOT}${dir}/${e.name}`));
      if (/Deno\.args|import\.meta\.main/.test(text)) out.push(`${dir}/${e.name}`);
    }
  }
  return out.sort();
}

Deno.test("the command finder tells scripts from modules", async () => {
  assert.equal(code("/** `Deno.args` */\n// Deno.args\nconst a = 1;").includes("Deno.args"), false);
  const found = await commands();
  for (const f of ["tools/setup.ts", "tools/build_native.ts", "tools/study.ts", "bench/main.ts", "web/serve.ts"]) {
    assert.ok(found.includes(f), `${f} not found among ${found}`);
  }
  for (const f of ["tools/args.ts", "tools/chromium.ts", "tools/web_page.ts", "tools/gpu_learn.ts"]) {
    assert.ok(!found.includes(f), `${f} is a module, not a command`);
  }
});

/** What is wrong with a --help answer (empty when nothing is). */
function helpProblems(r: Ran, names: string[], own: boolean): string[] {
  const problems: string[] = [];
  if (r.code !== 0) problems.push(`exit ${r.code}`);
  if (!/^usage: /im.test(r.out)) problems.push("no usage line on stdout");
  if (own && !r.out.includes("--help")) problems.push("--help is not listed");
  if (own && r.err.trim() !== "") problems.push("stderr is not empty (did it start working?)");
  for (const n of names) if (!r.out.includes(n)) problems.push(`${n} is not named`);
  if (r.audit?.length) problems.push(`it used permissions before answering:\n${r.audit.slice(0, 5).join("\n")}`);
  return problems;
}

/** What is wrong with the answer to an unknown option. */
function unknownProblems(r: Ran): string[] {
  const err = r.err.trim(), problems: string[] = [];
  if (r.code !== 2) problems.push(`exit ${r.code}`);
  if (err.includes("\n")) problems.push("more than one line on stderr");
  if (!err.includes("'--no-such-option'") || !err.includes("--help")) {
    problems.push("the line does not name the option and point at --help");
  }
  return problems;
}

Deno.test("every script and wrapping task answers --help, and an unknown option in one line", async () => {
  const scripts = await commands();
  const tasks = Object.entries(JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks as Record<string, string>)
    .flatMap(([name, line]) => {
      const m = /^deno run -A (\S+\.ts)$/.exec(line);
      return m ? [{ name, file: m[1] }] : [];
    });
  for (const t of ["setup", "notebooks", "gpu-check", "gpu-pack", "build-native", "serve", "bench", "fer"]) {
    assert.ok(tasks.some(({ name }) => name === t), `deno task ${t} no longer wraps one script`);
  }
  const lines = [...scripts.map((f) => [f]), ...["train", "libtorch", "lbp"].map((b) => ["bench/main.ts", b])];
  const perms = (f: string) => MAY_RUN.has(f) ? [...NO_WORK, "--allow-run"] : NO_WORK;
  const failures: string[] = [];
  const report = (what: string, r: Ran, problems: string[]) => {
    if (problems.length) failures.push(`${what}: ${problems.join("; ")}\n--- stdout\n${r.out}--- stderr\n${r.err}`);
    return problems.length === 0;
  };
  const answered = new Set<string>(["lib/cli/main.ts"]); // `deno task fer`: lib/cli's tests hold its flags
  await pool(
    lines.flatMap((l) => [
      async () => {
        const r = await run(Deno.execPath(), ["run", ...perms(l[0]), ...l, "--help"], { audit: UNTOUCHED.has(l[0]) });
        if (report(`${l.join(" ")} --help`, r, helpProblems(r, NAMES[l.join(" ")] ?? [], true))) answered.add(l[0]);
      },
      async () => {
        const r = await run(Deno.execPath(), ["run", ...perms(l[0]), ...l, "--no-such-option"]);
        report(`${l.join(" ")} --no-such-option`, r, unknownProblems(r));
      },
    ]),
    4,
  );
  // Through deno task (with -A), only where the script answered --help without permissions: a script that
  // ignores --help would do its work here.
  await pool(
    tasks.map(({ name, file }) => async () => {
      if (!answered.has(file)) return void failures.push(`deno task ${name}: ${file} did not answer --help`);
      const r = await run(Deno.execPath(), ["task", "-q", name, "--help"]);
      report(`deno task ${name} --help`, r, helpProblems(r, [], false));
    }),
    4,
  );
  assert.deepEqual(failures, []);
});
