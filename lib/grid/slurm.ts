/**
 * A grid on Slurm: one `sbatch` array script, one array task per job (its own CLI command, chosen by
 * `SLURM_ARRAY_TASK_ID`), requeueable, with the resources of cluster.ts; and a collect script that
 * builds the table from the records, submitted to run after every task has ended (`afterany`: a failed
 * task leaves its row "not run" and the collect job fails, naming it).
 *
 * @example
 * ```ts
 * const text = arrayScript({ name: "fer-table5", tasks, resources, settings: {}, repo, logDir });
 * const { array, collect } = await submitSlurm("grid.sbatch", "collect.sbatch");
 * ```
 * @module
 */
import type { ClusterSettings, TaskResources } from "./cluster.ts";
import { shellQuote } from "./cluster.ts";

/** One array task: its command and a comment saying what it runs. */
export interface ScriptTask {
  command: string[];
  label: string;
}

/** What the scripts say. */
export interface ScriptOptions {
  /** Slurm job name. */
  name: string;
  /** Header comment lines. */
  about: string[];
  resources: TaskResources;
  settings: ClusterSettings;
  /** The checkout the commands run in. */
  repo: string;
  /** Where Slurm writes each task's output (must exist when submitting). */
  logDir: string;
}

function header(o: ScriptOptions, lines: string[]): string[] {
  const s = o.settings;
  return [
    "#!/bin/bash",
    ...o.about.map((l) => `# ${l}`),
    ...lines,
    ...(s.partition ? [`#SBATCH --partition=${s.partition}`] : []),
    ...(s.account ? [`#SBATCH --account=${s.account}`] : []),
    ...(s.sbatch ?? []).map((l) => `#SBATCH ${l}`),
  ];
}

const ENV = [
  "set -euo pipefail",
  // the native kernels and torch use the CPUs Slurm gave the task, no more
  'export FER_THREADS="${SLURM_CPUS_PER_TASK:-1}" FER_PROGRESS=lines NO_COLOR=1',
];

/** The array script: one task per job; see the module doc. */
export function arrayScript(o: ScriptOptions & { tasks: ScriptTask[] }): string {
  const r = o.resources, n = o.tasks.length;
  if (n === 0) throw new Error("no jobs to submit");
  const throttle = o.settings.maxParallel ? `%${o.settings.maxParallel}` : "";
  const lines = header(o, [
    ...r.notes.map((l) => `# ${l}`),
    `#SBATCH --job-name=${o.name}`,
    `#SBATCH --array=0-${n - 1}${throttle}`,
    "#SBATCH --requeue",
    `#SBATCH --cpus-per-task=${r.cpus}`,
    ...(r.gpu ? ["#SBATCH --gres=gpu:1"] : []),
    `#SBATCH --time=${r.time}`,
    `#SBATCH --output=${o.logDir}/%x-%A_%a.out`,
    // a requeued task appends to its log: the first attempt's output stays
    "#SBATCH --open-mode=append",
  ]);
  lines.push(...ENV, `cd ${shellQuote(o.repo)}`, 'case "$SLURM_ARRAY_TASK_ID" in');
  for (const [i, t] of o.tasks.entries()) {
    lines.push(`  ${i}) # ${t.label}`, `    exec ${t.command.map(shellQuote).join(" ")} ;;`);
  }
  lines.push(`  *) echo "no task $SLURM_ARRAY_TASK_ID in this array of ${n}" >&2; exit 2 ;;`, "esac");
  return lines.join("\n") + "\n";
}

/** The collect script: one small task that builds the table from the records. */
export function collectScript(o: ScriptOptions & { command: string[] }): string {
  const lines = header(o, [
    `#SBATCH --job-name=${o.name}-collect`,
    "#SBATCH --cpus-per-task=1",
    "#SBATCH --time=0:30:00",
    `#SBATCH --output=${o.logDir}/%x-%j.out`,
  ]);
  lines.push(...ENV, `cd ${shellQuote(o.repo)}`, `exec ${o.command.map(shellQuote).join(" ")}`);
  return lines.join("\n") + "\n";
}

/** Runs `sbatch --parsable`; returns the job id. */
async function sbatch(args: string[]): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("sbatch", { args: ["--parsable", ...args], stdout: "piped", stderr: "piped" })
      .output();
  } catch (e) {
    throw new Error(`cannot run sbatch (${e instanceof Error ? e.message : e}); is Slurm's client installed here?`);
  }
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0 || !/^\d+/.test(text)) {
    throw new Error(`sbatch ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim() || text}`);
  }
  return text.split(";")[0];
}

/** Submits the array script, then the collect script to run after every array task has ended. */
export async function submitSlurm(arrayFile: string, collectFile: string): Promise<{ array: string; collect: string }> {
  const array = await sbatch([arrayFile]);
  const collect = await sbatch([`--dependency=afterany:${array}`, collectFile]);
  return { array, collect };
}
