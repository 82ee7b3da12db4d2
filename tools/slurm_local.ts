/**
 * A one-node Slurm cluster on this machine, from a folder of its own: `slurm.conf`, state, spool, pid and
 * log files all live there, the daemons run as root on ports of their own (so no system Slurm is
 * touched), and munge is reused when it answers, else started (and then stopped again). For trying
 * `fer reproduce --submit slurm` and for tests/slurm_test.ts. Needs Debian's slurmctld, slurmd,
 * slurm-client and munge (tools/setup.ts installs them) and root.
 *
 * @example
 * ```sh
 * deno run -A tools/slurm_local.ts start /tmp/slurm   # prints: export SLURM_CONF=/tmp/slurm/slurm.conf
 * SLURM_CONF=/tmp/slurm/slurm.conf deno task fer reproduce table5 --fast --folds 2 --submit slurm --cpus 1
 * deno run -A tools/slurm_local.ts stop /tmp/slurm
 * ```
 * @module
 */
import { join } from "node:path";
import { scriptArgs, usageError } from "./args.ts";

/** A started cluster. */
export interface LocalSlurm {
  dir: string;
  /** Path of its slurm.conf: set SLURM_CONF to it for sbatch, squeue, scontrol. */
  conf: string;
  /** The node's name (this host's short name). */
  node: string;
}

const BINARIES = ["slurmctld", "slurmd", "sbatch", "scontrol", "scancel", "sinfo", "munged", "munge"];

/** Why a local cluster cannot run here (missing programs, not root), or null when it can. */
export async function slurmUnavailable(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "Slurm runs on Linux only";
  const missing: string[] = [];
  for (const b of BINARIES) {
    if ((await run("sh", ["-c", `command -v ${b}`], { check: false })).code !== 0) missing.push(b);
  }
  if (missing.length) {
    return `no ${missing.join(", ")} (install Debian's slurmctld slurmd slurm-client munge: deno task setup)`;
  }
  if (Deno.uid() !== 0) return "the daemons of a one-node Slurm run as root; this is not root";
  return null;
}

async function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; check?: boolean } = {},
): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(cmd, { args, env: opts.env, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  if (opts.check !== false && r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}): ${out}`);
  return { code: r.code, out };
}

/** A TCP port nobody listens on now. */
function freePort(): number {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Whether munge answers (a credential encodes and decodes). */
async function mungeWorks(): Promise<boolean> {
  const r = await run("sh", ["-c", "munge -n | unmunge"], { check: false });
  return r.code === 0;
}

/** Starts munged when it does not answer: a key if there is none, its socket folder; returns its pid then. */
async function ensureMunge(): Promise<number | null> {
  if (await mungeWorks()) return null;
  const key = "/etc/munge/munge.key";
  try {
    await Deno.stat(key);
  } catch {
    await run("sh", ["-c", `dd if=/dev/urandom of=${key} bs=1k count=1 2>/dev/null`]);
    await run("chown", ["munge:munge", key]);
    await Deno.chmod(key, 0o400);
  }
  await Deno.mkdir("/run/munge", { recursive: true });
  await run("chown", ["munge:munge", "/run/munge"]);
  await run("su", ["-s", "/bin/sh", "munge", "-c", "munged --force"]);
  for (let i = 0; i < 50 && !(await mungeWorks()); i++) await sleep(100);
  if (!(await mungeWorks())) throw new Error("munged started but munge -n | unmunge fails");
  return Number((await Deno.readTextFile("/run/munge/munged.pid")).trim());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The slurm.conf of a one-node cluster in `dir`. */
export function slurmConf(
  o: { dir: string; node: string; cpus: number; ctldPort: number; slurmdPort: number },
): string {
  const d = o.dir;
  return [
    "ClusterName=fer",
    `SlurmctldHost=${o.node}`,
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    "CredType=cred/munge",
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_CPU",
    "ReturnToService=2",
    "MpiDefault=none",
    "JobCompType=jobcomp/none",
    "AccountingStorageType=accounting_storage/none",
    // finished jobs stay visible to scontrol for an hour (there is no accounting database)
    "MinJobAge=3600",
    // a cancelled task gets SIGKILL 5 s after SIGTERM
    "KillWait=5",
    `SlurmctldPort=${o.ctldPort}`,
    `SlurmdPort=${o.slurmdPort}`,
    `StateSaveLocation=${d}/state`,
    `SlurmdSpoolDir=${d}/spool`,
    `SlurmctldPidFile=${d}/slurmctld.pid`,
    `SlurmdPidFile=${d}/slurmd.pid`,
    `SlurmctldLogFile=${d}/slurmctld.log`,
    `SlurmdLogFile=${d}/slurmd.log`,
    `NodeName=${o.node} CPUs=${o.cpus} State=UNKNOWN`,
    `PartitionName=main Nodes=${o.node} Default=YES MaxTime=INFINITE State=UP`,
  ].join("\n") + "\n";
}

/**
 * Starts slurmctld and slurmd with a slurm.conf in `dir` and waits until the node is idle. Stop it with
 * {@link stopLocalSlurm} (by the pids in `dir`).
 */
export async function startLocalSlurm(dir: string, opts: { cpus?: number } = {}): Promise<LocalSlurm> {
  const unavailable = await slurmUnavailable();
  if (unavailable) throw new Error(unavailable);
  const node = (await run("hostname", ["-s"])).out.trim();
  for (const sub of ["state", "spool"]) await Deno.mkdir(join(dir, sub), { recursive: true });
  const conf = join(dir, "slurm.conf");
  const cpus = opts.cpus ?? navigator.hardwareConcurrency;
  await Deno.writeTextFile(conf, slurmConf({ dir, node, cpus, ctldPort: freePort(), slurmdPort: freePort() }));
  const munged = await ensureMunge();
  if (munged !== null) await Deno.writeTextFile(join(dir, "munged.pid"), `${munged}\n`);
  const env = { SLURM_CONF: conf };
  let why: string;
  try {
    await run("slurmctld", ["-f", conf], { env });
    await run("slurmd", ["-f", conf], { env });
    for (let i = 0; i < 300; i++) {
      const s = await run("sinfo", ["-h", "-o", "%t"], { env, check: false });
      if (s.code === 0 && s.out.trim() === "idle") return { dir, conf, node };
      await sleep(100);
    }
    why = "did not become idle in 30 s";
  } catch (e) {
    why = `did not start: ${e instanceof Error ? e.message : e}`;
  }
  const log = await Deno.readTextFile(join(dir, "slurmctld.log")).catch(() => "");
  await stopLocalSlurm(dir);
  throw new Error(`the one-node Slurm in ${dir} ${why}; slurmctld.log:\n${log.slice(-2000)}`);
}

/**
 * Cancels what is left on the cluster in `dir` and waits (30 s at most) for its jobs to end, then stops by
 * pid its daemons, any process still running under its slurm.conf (a job step that outlived its
 * cancelling) and a munged it started.
 */
export async function stopLocalSlurm(dir: string): Promise<void> {
  const conf = join(dir, "slurm.conf"), env = { SLURM_CONF: conf };
  await run("scancel", ["--partition=main"], { env, check: false });
  for (let i = 0; i < 300; i++) {
    const q = await run("squeue", ["-h", "-o", "%i"], { env, check: false });
    if (q.code !== 0 || q.out.trim() === "") break;
    await sleep(100);
  }
  const pids = new Set(underConf(conf));
  for (const name of ["slurmd", "slurmctld"]) {
    const pid = await pidIn(join(dir, `${name}.pid`));
    if (pid) pids.add(pid);
  }
  await stop([...pids]);
  const munged = await pidIn(join(dir, "munged.pid"));
  if (munged) {
    await stop([munged]);
    await Deno.remove(join(dir, "munged.pid"));
  }
}

/** The pid in a pid file, null when there is none. */
async function pidIn(file: string): Promise<number | null> {
  try {
    const pid = Number((await Deno.readTextFile(file)).trim());
    return pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/** Pids of the processes (other than this one) whose environment sets SLURM_CONF to `conf`. */
function underConf(conf: string): number[] {
  const out: number[] = [], tag = `\0SLURM_CONF=${conf}\0`;
  for (const e of Deno.readDirSync("/proc")) {
    const pid = Number(e.name);
    if (!Number.isInteger(pid) || pid === Deno.pid) continue;
    try {
      if (`\0${Deno.readTextFileSync(`/proc/${pid}/environ`)}`.includes(tag)) out.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** SIGTERM to each pid, SIGKILL to those alive 10 s later. */
async function stop(pids: number[]): Promise<void> {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 100 && pids.some(alive); i++) await sleep(100);
  for (const pid of pids.filter(alive)) Deno.kill(pid, "SIGKILL");
}

function alive(pid: number): boolean {
  try {
    return !/^\S+ \S+ Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`).replace(/\(.*\)/, "x"));
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const command = "deno run -A tools/slurm_local.ts";
  const { positionals } = scriptArgs(Deno.args, {
    command,
    summary: "A one-node Slurm cluster on this machine, all its files in DIR (needs root, slurmctld, slurmd, munge).",
    options: {},
    positionals: "start|stop DIR",
    notes: "start: brings it up and prints the SLURM_CONF to export; stop: stops its daemons.",
  });
  const [what, dir] = positionals;
  if (!["start", "stop"].includes(what) || !dir || positionals.length > 2) {
    usageError(
      command,
      `want start or stop and one folder, got ${positionals.length ? `"${positionals.join(" ")}"` : "nothing"}`,
    );
  }
  if (what === "start") {
    const s = await startLocalSlurm(dir);
    console.error(
      `one-node Slurm up on ${s.node} (${s.dir}); stop it with: deno run -A tools/slurm_local.ts stop ${dir}`,
    );
    console.log(`export SLURM_CONF=${s.conf}`);
  } else await stopLocalSlurm(dir);
}
