import assert from "node:assert/strict";
import { PEERS_PUBLICTEST_RECORD, readPeersRecord } from "./record.ts";

Deno.test("the committed peers record: both peers on all 3,589 PublicTest faces, confusions that add up", async () => {
  const rec = await readPeersRecord();
  assert.equal(rec.split, "PublicTest");
  for (const [name, r] of Object.entries(rec.peers)) {
    assert.equal(r.n, 3589, name);
    const total = r.confusion.flat().reduce((a, b) => a + b, 0);
    const right = r.confusion.reduce((a, row, i) => a + row[i], 0);
    assert.deepEqual([total, right / total], [3589, r.accuracy], `${name}: the accuracy is the confusion's diagonal`);
  }
  assert.match(rec.machine.cpu, /\S/);
  assert.equal(typeof rec.machine.bf16, "boolean");
});

Deno.test("readPeersRecord names the file and what is missing", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a.json`, JSON.stringify({ machine: {}, split: "PublicTest", versions: {} }));
  await assert.rejects(
    () => readPeersRecord(`${dir}/a.json`),
    new RegExp(`${dir}/a\\.json: not a peers record, "peers"`),
  );
  await Deno.writeTextFile(`${dir}/b.json`, "{");
  await assert.rejects(() => readPeersRecord(`${dir}/b.json`), /b\.json: cannot read a peers record/);
  await Deno.remove(dir, { recursive: true });
  assert.match(PEERS_PUBLICTEST_RECORD, /results\/peers\/fer2013-publictest\.json$/);
});
