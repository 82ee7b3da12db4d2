/**
 * One process per run folder: `run.lock` holds the pid, host and start time of the `fer` process
 * training in it. A second process is refused with a message naming the holder; the lock of a process
 * that died without cleaning up (SIGKILL, power cut) is taken over, since its pid is gone on this host.
 * Temporary files of atomic writes such a process left (`*.tmp-<pid>`) are removed once the lock is held.
 *
 * @example
 * ```ts
 * const lock = await lockRun(dir);
 * try { … } finally { await lock.release(); }
 * ```
 * @module
 */

/** What `run.lock` holds. */
interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

/** A held lock. */
export interface RunLock {
  path: string;
  release(): Promise<void>;
}

/** Takes `<dir>/run.lock` (see the module doc) and clears stale temporary files under `dir`. */
export async function lockRun(dir: string): Promise<RunLock> {
  const path = `${dir}/run.lock`;
  const me: LockInfo = { pid: Deno.pid, host: Deno.hostname(), since: new Date().toISOString() };
  for (let attempt = 0;; attempt++) {
    try {
      await Deno.writeTextFile(path, JSON.stringify(me) + "\n", { createNew: true });
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists) || attempt > 0) throw e;
    }
    const held = await readLock(path);
    if (held && alive(held)) {
      throw new Error(
        `${path}: the run folder is in use by another fer process (pid ${held.pid} on ${held.host}, since ${held.since}); ` +
          `wait for it to end or stop it`,
      );
    }
    await Deno.remove(path).catch(() => {}); // its holder died: take it over
  }
  await removeTempFiles(dir);
  return {
    path,
    async release() {
      const held = await readLock(path);
      if (held?.pid === me.pid && held.host === me.host) await Deno.remove(path).catch(() => {});
    },
  };
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch {
    return null; // gone, or half written by a process killed while writing it
  }
}

/** False only when the holder is known dead: on this host, with no /proc entry. */
function alive(l: LockInfo): boolean {
  if (l.host !== Deno.hostname()) return true;
  if (l.pid === Deno.pid) return false;
  try {
    Deno.statSync("/proc/self");
  } catch {
    return true; // no /proc: cannot tell, so assume it runs
  }
  try {
    Deno.statSync(`/proc/${l.pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Removes `*.tmp-<pid>` files (left by a killed atomic write) under `dir`. */
async function removeTempFiles(dir: string): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) await removeTempFiles(p);
    else if (/\.tmp-\d+$/.test(e.name)) await Deno.remove(p);
  }
}
