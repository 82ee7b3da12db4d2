import assert from "node:assert/strict";
import { fnv1a, Rng } from "./rng.ts";

Deno.test("same seed gives the same stream, other seeds differ", () => {
  const a = new Rng(7), b = new Rng(7), c = new Rng(8);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextUint32()));
});

Deno.test("saved state resumes the identical stream", () => {
  const a = new Rng("run-1");
  for (let i = 0; i < 100; i++) a.next();
  const b = Rng.fromState(a.state);
  for (let i = 0; i < 50; i++) assert.deepEqual(a.next(), b.next());
  assert.throws(() => Rng.fromState([1, 2, 3] as unknown as [number, number, number, number]), /four uint32/);
});

Deno.test("uniform, int and normal have the right moments", () => {
  const r = new Rng(1);
  const n = 200_000;
  let s = 0, s2 = 0, ns = 0, ns2 = 0;
  const counts = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    s += u;
    s2 += u * u;
    counts[r.int(10)]++;
    const z = r.normal();
    ns += z;
    ns2 += z * z;
  }
  assert.ok(Math.abs(s / n - 0.5) < 0.005);
  assert.ok(Math.abs(s2 / n - s * s / n / n - 1 / 12) < 0.002);
  for (const c of counts) assert.ok(Math.abs(c / n - 0.1) < 0.005, `bucket ${c}`);
  assert.ok(Math.abs(ns / n) < 0.01);
  assert.ok(Math.abs(ns2 / n - 1) < 0.02);
});

Deno.test("shuffle is a permutation; fork streams are independent of later draws", () => {
  const r = new Rng(3);
  const xs = r.shuffle(Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual([...xs].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual(xs, Array.from({ length: 100 }, (_, i) => i));
  const f1 = new Rng(5).fork("aug"), f2 = new Rng(5).fork("aug"), f3 = new Rng(5).fork("folds");
  assert.deepEqual(f1.next(), f2.next());
  assert.notDeepEqual(new Rng(5).fork("aug").next(), f3.next());
  assert.deepEqual(fnv1a(""), 0x811c9dc5);
  assert.deepEqual(fnv1a("a"), 0xe40c292c);
});
