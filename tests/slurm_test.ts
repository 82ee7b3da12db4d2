/**
 * The grid on a real scheduler: a one-node Slurm cluster started on this machine from a temp folder
 * (tools/slurm_local.ts), a `--fast` Table 5 grid of 2 rows × 2 folds submitted with
 * `fer reproduce --submit slurm` on CK+48-shaped synthetic faces, one array task cancelled mid-run
 * (`scancel`) and requeued (`scontrol requeue`). Asserts that every array task completes, that the
 * requeued one resumed from its checkpoint to the history an uninterrupted run has, and that the table
 * the collect job builds equals the one a sequential `fer reproduce` writes. The daemons are stopped by
 * pid at the end, also when the test fails. Skips with a message where Slurm cannot run (not Linux, not
 * root, or its Debian packages missing: `deno task setup` installs them).
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { syntheticDataset, writeImage } from "../lib/data/mod.ts";
import { readMetricsCsv } from "../lib/experiment/mod.ts";
import { slurmUnavailable, startLocalSlurm, stopLocalSlurm } from "../tools/slurm_local.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ROWS = ["full-subject", "no-lbp-subject"];
/** Enough epochs that a task can be caught between its first checkpoint and its end. */
const EPOCHS = 6;

/** CK+48's layout (`<class>/S<subject>_<sequence>_<frame>.png`) holding synthetic faces, neutral left out. */
async function syntheticCk48(dir: string): Promise<void> {
  const ds = syntheticDataset({ n: 280, size: 48, seed: 7 });
  const frames = new Map<string, number>();
  for (const s of ds.samples) {
    const cls = ds.classes[s.label];
    if (cls === "neutral") continue;
    const subject = `S${String(Number(s.subject!.slice(1)) + 10).padStart(3, "0")}`;
    const frame = (frames.get(subject) ?? 0) + 1;
    frames.set(subject, frame);
    const name = `${subject}_00${1 + s.label}_${String(frame).padStart(8, "0")}.png`;
    await Deno.mkdir(join(dir, cls), { recursive: true });
    await writeImage(join(dir, cls, name), await ds.load(s));
  }
}

async function sh(cmd: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(cmd[0], { args: cmd.slice(1), env, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

/** Each array task's (or the job's) state and restart count, from `scontrol -o show job`. */
async function jobStates(id: string, env: Record<string, string>): Promise<Map<string, [string, number]>> {
  const r = await sh(["scontrol", "-o", "show", "job", id], env);
  const out = new Map<string, [string, number]>();
  for (const line of r.out.trim().split("\n").filter(Boolean)) {
    const task = /ArrayTaskId=(\S+)/.exec(line)?.[1] ?? "job";
    out.set(task, [/JobState=(\S+)/.exec(line)![1], Number(/Restarts=(\d+)/.exec(line)?.[1] ?? 0)]);
  }
  return out;
}

async function until<T>(what: string, seconds: number, f: () => Promise<T | null | undefined | false>): Promise<T> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

/** The table's CSV rows by key, without the columns that name the runs. */
async function tableRows(file: string): Promise<Record<string, Record<string, string>>> {
  const [head, ...lines] = (await Deno.readTextFile(file)).trim().split("\n");
  const cols = head.split(",");
  const rows: Record<string, Record<string, string>> = {};
  for (const l of lines) {
    // no field of these rows holds a quoted comma except the label and protocol, which both tables share
    const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ""));
    const row = Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
    delete row.run_id;
    delete row.run_of;
    rows[row.key] = row;
  }
  return rows;
}

const unavailable = await slurmUnavailable();

Deno.test({
  name: unavailable
    ? `fer reproduce --submit slurm on a one-node Slurm — skipped: ${unavailable}`
    : "fer reproduce --submit slurm: every array task completes, a cancelled and requeued task resumes, " +
      "the collected table equals the sequential one",
  ignore: unavailable !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "fer-slurm-" });
    const slurmDir = join(tmp, "slurm"), data = join(tmp, "ck48"), runs = join(tmp, "runs");
    await syntheticCk48(data);
    // one thread per task, as the array script gives a task of --cpus 1, so both runs compute alike
    const base = {
      PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH")}`,
      FER_THREADS: "1",
      FER_PROGRESS: "lines",
      NO_COLOR: "1",
    };
    const grid = ["table5", "--fast", "--rows", ROWS.join(","), "--folds", "2", "--epochs", String(EPOCHS)];
    const fer = [Deno.execPath(), "task", "fer", "reproduce", ...grid, "--root", data];
    const t0 = performance.now();
    const cluster = await startLocalSlurm(slurmDir, { cpus: 2 });
    try {
      const env = { ...base, SLURM_CONF: cluster.conf };
      const sub = await sh([
        ...fer,
        "--runs-dir",
        runs,
        "--out",
        join(tmp, "tables"),
        "--submit",
        "slurm",
        "--cpus",
        "1",
      ], env);
      assert.equal(sub.code, 0, sub.err);
      const ids = JSON.parse(sub.out.trim().split("\n").at(-1)!) as { array: string; collect: string; script: string };
      const script = await Deno.readTextFile(ids.script);
      assert.match(script, /#SBATCH --array=0-3\n/);
      assert.match(script, /#SBATCH --requeue\n/);
      const hash = /\n {2}0\) # table5\/full-subject fold 1\/2 seed \d+\n.* --hash (\w+) /.exec(script)?.[1];
      assert.ok(hash, `task 0 is full-subject fold 1:\n${script}`);
      const jobDir = join(runs, `grid-${hash}`), metrics = join(jobDir, "fold-1", "metrics.csv");
      const log = join(runs, "slurm", `fer-table5-${ids.array}_0.out`);

      // task 0 is cancelled once its first epoch is checkpointed, then requeued
      const seen = await until("task 0 to finish an epoch", 240, async () => {
        const n = await readMetricsCsv(metrics).then((m) => m.length, () => 0);
        return n >= 1 && n;
      });
      assert.ok(seen < EPOCHS, `task 0 was still training (${seen} of ${EPOCHS} epochs) when cancelled`);
      const cancel = await sh(["scancel", `${ids.array}_0`], env);
      assert.equal(cancel.code, 0, cancel.err);
      await until(
        "task 0 to be cancelled",
        60,
        async () => (await jobStates(ids.array, env)).get("0")?.[0] === "CANCELLED",
      );
      const killed = JSON.parse(await Deno.readTextFile(join(jobDir, "run.json")));
      assert.equal(killed.status, "running", "the cancelled task's record is unfinished");
      const atKill = (await readMetricsCsv(metrics)).length;
      assert.ok(atKill < EPOCHS, `cancelled mid-run: ${atKill} of ${EPOCHS} epochs`);
      const requeue = await sh(["scontrol", "requeue", `${ids.array}_0`], env);
      assert.equal(requeue.code, 0, requeue.err);
      // Slurm holds a requeued job back for its credentials' lifetime (minutes); a test need not wait
      const now = await sh(["scontrol", "update", `JobId=${ids.array}_0`, "StartTime=now"], env);
      assert.equal(now.code, 0, now.err);

      const collected = await until("the collect job to end", 480, async () => {
        const s = (await jobStates(ids.collect, env)).get("job")?.[0];
        return s && !["PENDING", "RUNNING", "CONFIGURING", "COMPLETING"].includes(s) && s;
      });
      const tasks = await jobStates(ids.array, env);
      assert.deepEqual(
        [...tasks].map(([t, [s]]) => [t, s]).sort(),
        [["0", "COMPLETED"], ["1", "COMPLETED"], ["2", "COMPLETED"], ["3", "COMPLETED"]],
        `array tasks; task 0's log:\n${await Deno.readTextFile(log).catch(() => "")}`,
      );
      assert.equal(tasks.get("0")![1], 1, "task 0 ran twice");
      const collectLog = await Deno.readTextFile(join(runs, "slurm", `fer-table5-collect-${ids.collect}.out`));
      assert.equal(collected, "COMPLETED", collectLog);

      // the requeued task resumed from its checkpoint to the history of an uninterrupted run
      const taskLog = await Deno.readTextFile(log);
      assert.match(taskLog, /full-subject fold 1\/2 seed \d+: starting in /);
      const resumed =
        /full-subject fold 1\/2 seed \d+: resuming in .* from its checkpoint \(fold-1\/metrics\.csv: (\d+) of 6 epochs done\)/
          .exec(taskLog);
      assert.ok(resumed, `task 0 resumed:\n${taskLog}`);
      // the killed process may have checkpointed one more epoch between the cancel and its death
      assert.ok(Number(resumed[1]) >= atKill && Number(resumed[1]) < EPOCHS, resumed[0]);
      const history = await readMetricsCsv(metrics);
      assert.deepEqual(history.map((m) => m.epoch), [1, 2, 3, 4, 5, 6], "each epoch once");
      console.log(
        `task 0 (resumed) printed:\n${taskLog.split("\n").filter((l) => /seed \d+:|fold 1\/2/.test(l)).join("\n")}`,
      );

      // the same grid run sequentially, in one process
      const seqRuns = join(tmp, "seq-runs");
      const seq = await sh([...fer, "--runs-dir", seqRuns, "--out", join(tmp, "seq-tables")], base);
      assert.equal(seq.code, 0, seq.err);
      const slurmTable = await tableRows(join(tmp, "tables", "table5.csv"));
      const seqTable = await tableRows(join(tmp, "seq-tables", "table5.csv"));
      assert.deepEqual(slurmTable, seqTable);
      for (const row of ROWS) {
        assert.equal(slurmTable[row].status, "measured", row);
        assert.match(slurmTable[row].measured, /^\d+\.\d\d$/);
      }
      console.log(
        `collected = sequential: ${
          ROWS.map((r) => `${r} ${slurmTable[r].measured} ± ${slurmTable[r].std}`).join(", ")
        }`,
      );
      let compared = 0;
      for (const e of Deno.readDirSync(seqRuns)) {
        const rec = JSON.parse(await Deno.readTextFile(join(seqRuns, e.name, "run.json")));
        if (rec.experiment?.row !== "full-subject") continue;
        compared++;
        const straight = await readMetricsCsv(join(seqRuns, e.name, "fold-1", "metrics.csv"));
        const timeless = (h: typeof history) => h.map(({ seconds: _s, img_per_s: _i, ...m }) => m);
        assert.deepEqual(
          timeless(history),
          timeless(straight),
          "the resumed fold's history is the uninterrupted one's",
        );
      }
      assert.equal(compared, 1, `one sequential full-subject record in ${seqRuns} to compare the resumed fold with`);
      console.log(
        `slurm test: ${((performance.now() - t0) / 1000).toFixed(0)} s from cluster start to tables compared`,
      );
    } finally {
      await stopLocalSlurm(slurmDir);
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
