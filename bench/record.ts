/**
 * The envelope of a bench record kept under results/: the command, the commit, start and end times, and the
 * machine as the OS reports it (`lscpu` model name, bf16 instructions present or not, cores) with the 1-minute
 * load average at the start and the end. This machine is shared, so a record states its load and never
 * claims an idle machine.
 *
 * @example
 * ```ts
 * const rec = startRecord("deno run -A bench/lbp.ts --out results/bench/lbp.json");
 * // … measure …
 * await rec.write("results/bench/lbp.json", { results });
 * ```
 * @module
 */
import { dirname } from "node:path";
import { gitCommit } from "../lib/experiment/mod.ts";
import { hostInfo, type RecordedMachine } from "../lib/util/mod.ts";

/** A bench in progress: {@link BenchRun.write} adds the end time and load and writes the record. */
export interface BenchRun {
  /** The record with `body` after the envelope, returned as written. */
  write(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** HEAD's commit, marked when the work tree differs from it, untracked files included (the record then came
 * from code no commit holds). */
async function commitNote(): Promise<string | null> {
  const head = await gitCommit();
  if (!head) return null;
  const st = await new Deno.Command("git", { args: ["status", "--porcelain"], stdout: "piped", stderr: "null" })
    .output();
  return new TextDecoder().decode(st.stdout).trim() === "" ? head : `${head} (with uncommitted changes)`;
}

/** Starts the clock and notes the machine and its load now. */
export function startRecord(command: string): BenchRun {
  const started = new Date();
  const host = hostInfo();
  const commit = commitNote();
  return {
    async write(path, body) {
      const machine: RecordedMachine = {
        cpu: host.cpu,
        bf16: host.bf16,
        cores: host.cores,
        loadStart: host.load1,
        loadEnd: Deno.loadavg()[0],
        note: "shared machine (other work ran beside this bench): see the load averages",
      };
      const record = {
        command,
        commit: await commit,
        started: started.toISOString(),
        finished: new Date().toISOString(),
        machine,
        ...body,
      };
      await Deno.mkdir(dirname(path), { recursive: true });
      await Deno.writeTextFile(path, JSON.stringify(record, null, 1) + "\n");
      return record;
    },
  };
}
