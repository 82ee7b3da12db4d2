import assert from "node:assert/strict";
import { planGrid } from "../grid/plan.ts";
import type { TaskResources } from "../grid/cluster.ts";
import { indexedJob } from "../grid/k8s.ts";
import { command } from "./reproduce.ts";
import { arrayScript, collectScript } from "../grid/slurm.ts";
import { writeRunOf } from "../report/testing.ts";
import { captureLog } from "./testing.ts";

const tasks = [
  { command: ["deno", "task", "fer", "reproduce", "table5", "--row", "a", "--fold", "1"], label: "table5/a fold 1/2" },
  {
    command: ["deno", "task", "fer", "reproduce", "table5", "--row", "a b", "--fold", "2"],
    label: "table5/a b fold 2/2",
  },
];
const cpu: TaskResources = { cpus: 2, gpu: false, time: "0:11:00", notes: ["time: as measured"] };

Deno.test("the array script: one requeueable task per job, resources and the user's #SBATCH lines", () => {
  const text = arrayScript({
    name: "fer-table5",
    about: ["two jobs"],
    tasks,
    resources: { ...cpu, gpu: true },
    settings: { partition: "gpu", account: "lab", sbatch: ["--qos=long"], maxParallel: 1 },
    repo: "/src/fer attention",
    logDir: "/runs/slurm",
  });
  const sbatch = text.split("\n").filter((l) => l.startsWith("#SBATCH"));
  assert.deepEqual(sbatch, [
    "#SBATCH --job-name=fer-table5",
    "#SBATCH --array=0-1%1",
    "#SBATCH --requeue",
    "#SBATCH --cpus-per-task=2",
    "#SBATCH --gres=gpu:1",
    "#SBATCH --time=0:11:00",
    "#SBATCH --output=/runs/slurm/%x-%A_%a.out",
    "#SBATCH --open-mode=append",
    "#SBATCH --partition=gpu",
    "#SBATCH --account=lab",
    "#SBATCH --qos=long",
  ]);
  assert.match(text, /^#!\/bin\/bash\n# two jobs\n# time: as measured\n/);
  assert.match(text, /\ncd '\/src\/fer attention'\ncase "\$SLURM_ARRAY_TASK_ID" in\n/);
  assert.match(text, /\n {2}0\) # table5\/a fold 1\/2\n {4}exec deno task fer reproduce table5 --row a --fold 1 ;;\n/);
  assert.match(text, /\n {2}1\) # table5\/a b fold 2\/2\n {4}exec .* --row 'a b' --fold 2 ;;\n/);
  assert.match(text, /\n {2}\*\) echo "no task \$SLURM_ARRAY_TASK_ID in this array of 2" >&2; exit 2 ;;\nesac\n$/);
  const plain = arrayScript({ name: "x", about: [], tasks, resources: cpu, settings: {}, repo: "/r", logDir: "/l" });
  assert.doesNotMatch(plain, /--gres|--partition|--account/);
  assert.match(plain, /#SBATCH --array=0-1\n/);
  assert.throws(
    () => arrayScript({ name: "x", about: [], tasks: [], resources: cpu, settings: {}, repo: "/r", logDir: "/l" }),
    /no jobs/,
  );
  const coll = collectScript({
    name: "fer-table5",
    about: ["collect"],
    command: ["deno", "task", "fer", "reproduce", "table5", "--collect"],
    resources: cpu,
    settings: { partition: "gpu" },
    repo: "/r",
    logDir: "/l",
  });
  assert.match(coll, /#SBATCH --job-name=fer-table5-collect\n#SBATCH --cpus-per-task=1\n/);
  assert.match(coll, /#SBATCH --partition=gpu\n/);
  assert.match(coll, /\nexec deno task fer reproduce table5 --collect\n$/);
});

Deno.test("the Kubernetes Indexed Job: one completion per job, a GPU limit on CUDA, the image required", () => {
  const o = { name: "fer-t5", about: ["grid"], tasks, resources: { ...cpu, gpu: true }, repo: "/src" };
  const yaml = indexedJob({ ...o, settings: { image: "fer:1", namespace: "lab" } });
  assert.match(yaml, /\n {2}completionMode: Indexed\n {2}completions: 2\n {2}parallelism: 2\n/);
  assert.match(yaml, /\n {10}image: "fer:1"\n/);
  assert.match(yaml, /\n {2}namespace: "lab"\n/);
  assert.match(yaml, /\n {12}limits:\n {14}nvidia.com\/gpu: 1\n$/);
  assert.match(
    yaml,
    /case \\"\$JOB_COMPLETION_INDEX\\" in\\n {2}0\) exec deno task fer reproduce table5 --row a --fold 1 ;;/,
  );
  assert.throws(() => indexedJob({ ...o, settings: {} }), /--submit k8s needs the container image: --image IMG/);
});

Deno.test("fer reproduce table5 --fast --plan --submit print: an array script with one task per (row, fold)", async () => {
  const runs = await Deno.makeTempDir();
  const { code, out } = await captureLog(() =>
    command.run(["table5", "--fast", "--plan", "--submit", "print", "--runs-dir", runs, "--partition", "p1"])
  );
  assert.equal(code, 0);
  const [array, coll] = out.split(/\n# ---- .*-collect\.sbatch ----\n/);
  const jobs = await planGrid("table5", { fast: true });
  assert.equal(jobs.length, 30);
  assert.match(array, /#SBATCH --array=0-29\n/);
  assert.match(array, /#SBATCH --partition=p1\n/);
  for (const [i, j] of jobs.entries()) {
    const line = new RegExp(
      `\\n  ${i}\\) # table5/${j.experiment.config.row} fold ${j.fold}/5 seed 42\\n    exec deno task fer reproduce ` +
        `table5 --fast --row ${j.experiment.config.row} --fold ${j.fold} --hash ${j.hash} --runs-dir ${runs}( |\\n)`,
    );
    assert.match(array, line);
  }
  assert.match(
    coll,
    /exec deno task fer reproduce table5 --fast --collect --runs-dir \S+ --out \S+\/outputs\/tables\n$/,
  );
  await Deno.remove(runs, { recursive: true });
});

Deno.test("the plan: each job's state and its own command", async () => {
  const runs = await Deno.makeTempDir();
  const [one] = await planGrid("table5", { fast: true, rows: ["full-subject"], overrides: { k: 2 } });
  await writeRunOf(runs, one.id, one.experiment, { job: { hash: one.hash } });
  const args = ["table5", "--fast", "--rows", "full-subject", "--folds", "2", "--plan", "--runs-dir", runs];
  const { code, out } = await captureLog(() => command.run(args));
  assert.equal(code, 0);
  const lines = out.split("\n");
  assert.match(
    lines[0],
    /^plan for table5 \(fast mode\): 2 job\(s\), 1 row\(s\) × 2 fold\(s\) × 1 seed\(s\); 1 done, 0 to resume, 1 new;/,
  );
  assert.match(lines[1], new RegExp(`^ {2}done {3}${one.id} {2}table5/full-subject fold 1/2 seed 42$`));
  assert.match(
    lines[2],
    new RegExp(`deno task fer reproduce table5 --fast --row full-subject --fold 1 --folds 2 --hash ${one.hash} `),
  );
  assert.match(lines[3], /^ {2}new {4}grid-\w+ {2}table5\/full-subject fold 2\/2 seed 42$/);
  assert.match(
    lines.at(-1)!,
    /^collect: deno task fer reproduce table5 --fast --rows full-subject --folds 2 --collect /,
  );
  await Deno.remove(runs, { recursive: true });
});
