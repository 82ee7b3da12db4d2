import assert from "node:assert/strict";
import { applyOmpWait, chooseOmpWait, OMP_WAIT_MARK, othersRunnable, SHORT_SPIN, userOmpEnv } from "./omp_wait.ts";

Deno.test("omp wait: a short spin while the run's threads find free cores", () => {
  const c = chooseOmpWait({ threads: 2, cores: 2, others: 0, env: {} });
  assert.deepEqual(c.policy, "spin");
  assert.deepEqual(c.env, { GOMP_SPINCOUNT: `${SHORT_SPIN}` });
  // one thread on two cores leaves a core for one other process
  assert.deepEqual(chooseOmpWait({ threads: 1, cores: 2, others: 1, env: {} }).policy, "spin");
  // sixteen cores, two threads: fourteen others still fit
  assert.deepEqual(chooseOmpWait({ threads: 2, cores: 16, others: 14, env: {} }).policy, "spin");
});

Deno.test("omp wait: passive when other runnable work needs the cores", () => {
  const c = chooseOmpWait({ threads: 2, cores: 2, others: 1, env: {} });
  assert.deepEqual(c.policy, "passive");
  assert.deepEqual(c.env, { OMP_WAIT_POLICY: "PASSIVE" });
  assert.match(c.why, /1 runnable threads of other processes, 0 cores free beside 2 threads/);
  assert.deepEqual(chooseOmpWait({ threads: 2, cores: 16, others: 15, env: {} }).policy, "passive");
  // more threads than cores: nothing is free, anyone else makes it passive
  assert.deepEqual(chooseOmpWait({ threads: 4, cores: 2, others: 1, env: {} }).policy, "passive");
});

Deno.test("omp wait: the user's own setting wins and nothing is set", () => {
  for (const env of [{ OMP_WAIT_POLICY: "ACTIVE" }, { GOMP_SPINCOUNT: "0" }]) {
    const c = chooseOmpWait({ threads: 2, cores: 2, others: 5, env });
    assert.deepEqual(c.policy, "user");
    assert.deepEqual(c.env, {});
    assert.match(c.why, /set by the environment/);
  }
  // an empty value is not a setting
  assert.deepEqual(chooseOmpWait({ threads: 2, cores: 2, others: 0, env: { OMP_WAIT_POLICY: "" } }).policy, "spin");
});

Deno.test("omp wait: a busy process of our own counts as another's runnable thread", async () => {
  if (Deno.build.os !== "linux") return;
  const before = await othersRunnable();
  const spin = new Deno.Command(Deno.execPath(), {
    args: ["eval", "const t = Date.now(); while (Date.now() - t < 3000);"],
  }).spawn();
  await new Promise((r) => setTimeout(r, 500));
  const during = await othersRunnable();
  await spin.status;
  // the busy child runs the whole time the samples are read; what else the machine does only adds
  assert.deepEqual(during >= 1, true, `during ${during}, before ${before}`);
});

Deno.test("omp wait: a parent's choice is not the user's; a child chooses again and replaces it", () => {
  const names = ["OMP_WAIT_POLICY", "GOMP_SPINCOUNT", OMP_WAIT_MARK];
  const saved = names.map((k) => Deno.env.get(k));
  try {
    for (const k of names) Deno.env.delete(k);
    Deno.env.set("OMP_WAIT_POLICY", "ACTIVE"); // the user's own
    assert.deepEqual(userOmpEnv(), { OMP_WAIT_POLICY: "ACTIVE", GOMP_SPINCOUNT: undefined });
    applyOmpWait(chooseOmpWait({ threads: 2, cores: 2, others: 0, env: userOmpEnv() }));
    assert.equal(Deno.env.get("OMP_WAIT_POLICY"), "ACTIVE", "the user's setting was replaced");
    assert.equal(Deno.env.get(OMP_WAIT_MARK), undefined);

    Deno.env.delete("OMP_WAIT_POLICY");
    applyOmpWait(chooseOmpWait({ threads: 2, cores: 2, others: 0, env: userOmpEnv() })); // a parent chose spin
    assert.equal(Deno.env.get("GOMP_SPINCOUNT"), `${SHORT_SPIN}`);
    assert.deepEqual(userOmpEnv(), {}, "a parent's choice read as the user's");
    const child = chooseOmpWait({ threads: 2, cores: 2, others: 3, env: userOmpEnv() }); // its child, under load
    assert.equal(child.policy, "passive");
    applyOmpWait(child);
    // GOMP_SPINCOUNT would override the passive policy in libgomp: it must be gone
    assert.equal(Deno.env.get("GOMP_SPINCOUNT"), undefined);
    assert.equal(Deno.env.get("OMP_WAIT_POLICY"), "PASSIVE");
    assert.equal(Deno.env.get(OMP_WAIT_MARK), "passive");
  } finally {
    names.forEach((k, i) => saved[i] === undefined ? Deno.env.delete(k) : Deno.env.set(k, saved[i]!));
  }
});
