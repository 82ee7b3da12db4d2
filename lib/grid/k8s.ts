/**
 * The grid as a Kubernetes Indexed Job: one completion index per job not done, each running that job's
 * command (chosen by `JOB_COMPLETION_INDEX`); a pod that dies restarts (`restartPolicy: OnFailure`) and
 * the job resumes from its checkpoint. The image must hold this checkout (at the same path) and deno, and
 * the runs and data folders must be mounted at the paths the commands name; the manifest says so. The
 * collect step runs afterwards: `fer reproduce … --collect`.
 *
 * @example
 * ```ts
 * console.log(indexedJob({ name: "fer-table5-3fa2c1d0", tasks, resources, settings: { image: "fer:1" }, repo }));
 * ```
 * @module
 */
import type { ClusterSettings, TaskResources } from "./cluster.ts";
import { shellQuote } from "./cluster.ts";
import type { ScriptTask } from "./slurm.ts";

/** The manifest (YAML; strings are JSON-quoted, which YAML reads as they are). */
export function indexedJob(o: {
  name: string;
  about: string[];
  tasks: ScriptTask[];
  resources: TaskResources;
  settings: ClusterSettings;
  repo: string;
}): string {
  const s = o.settings, r = o.resources, n = o.tasks.length, q = JSON.stringify;
  if (!s.image) throw new Error('--submit k8s needs the container image: --image IMG (or "image" in the settings)');
  if (n === 0) throw new Error("no jobs to submit");
  const script = [
    "set -euo pipefail",
    `export FER_THREADS=${r.cpus} FER_PROGRESS=lines NO_COLOR=1`,
    'case "$JOB_COMPLETION_INDEX" in',
    ...o.tasks.map((t, i) => `  ${i}) exec ${t.command.map(shellQuote).join(" ")} ;; # ${t.label}`),
    '  *) echo "no task $JOB_COMPLETION_INDEX" >&2; exit 2 ;;',
    "esac",
  ];
  const limits = r.gpu ? [`              nvidia.com/gpu: 1`] : [];
  return [
    ...o.about.map((l) => `# ${l}`),
    "apiVersion: batch/v1",
    "kind: Job",
    "metadata:",
    `  name: ${q(o.name)}`,
    ...(s.namespace ? [`  namespace: ${q(s.namespace)}`] : []),
    "spec:",
    "  completionMode: Indexed",
    `  completions: ${n}`,
    `  parallelism: ${s.maxParallel ?? n}`,
    `  backoffLimit: ${2 * n}`,
    "  template:",
    "    spec:",
    "      restartPolicy: OnFailure",
    "      containers:",
    "        - name: job",
    `          image: ${q(s.image)}`,
    `          workingDir: ${q(o.repo)}`,
    '          command: ["bash", "-c"]',
    `          args: [${q(script.join("\n"))}]`,
    "          resources:",
    "            requests:",
    `              cpu: ${q(String(r.cpus))}`,
    ...(limits.length ? ["            limits:", ...limits] : []),
  ].join("\n") + "\n";
}
