import assert from "node:assert/strict";
import { ATTENTION_MAIN_JOB_RECORD, attentionRecordMarkdown, readAttentionRecord } from "./attention_record.ts";

Deno.test("the committed attention record: the untrained network at uniform, the trained one above it in every class", async () => {
  const rec = await readAttentionRecord();
  assert.equal(rec.untrained.overall.n, 700);
  assert.equal(rec.untrained.overall.meanRatio.toFixed(2), "1.01");
  assert.equal(rec.trained.overall.meanRatio.toFixed(2), "1.40");
  const perClass = Object.values(rec.trained.byClass).map((s) => s.meanRatio);
  assert.deepEqual([Math.min(...perClass).toFixed(2), Math.max(...perClass).toFixed(2)], ["1.29", "1.57"]);
  // the references are computed from the masks alone: the same for both networks
  assert.deepEqual(rec.untrained.references, rec.trained.references);
  const md = attentionRecordMarkdown(rec);
  assert.match(md, /^Record `results\/attention\/main-job-20261206-8b71\.json`: commit c44f715/);
  assert.match(md, /\| F_m \(trained, 8b71\) \| 700 \| 9\.4% \| 6\.7% \| 1\.40 \| 100% \|/);
  assert.match(md, /\| F_m \(same network, untrained\) \| 700 \| 6\.8% \| 6\.7% \| 1\.01 \| 95% \|/);
  assert.match(
    md,
    /its history parts at epoch 1 from `results\/runs\/20261130-035645-synthetic-synthetic-ddc6\.json`, whose own score was 1\.57/,
  );
  assert.match(md, /#### Per class, untrained\n\n.*\n.*\n\| angry \| 100 \| 5\.2% \| 5\.2% \| 1\.01 \| 96% \|/);
});

Deno.test("readAttentionRecord names the file and the field that is wrong", async () => {
  const dir = await Deno.makeTempDir();
  const good = JSON.parse(await Deno.readTextFile(ATTENTION_MAIN_JOB_RECORD));
  const write = async (name: string, rec: unknown) => {
    await Deno.writeTextFile(`${dir}/${name}`, typeof rec === "string" ? rec : JSON.stringify(rec));
    return `${dir}/${name}`;
  };
  await assert.rejects(
    async () => readAttentionRecord(await write("a.json", "{")),
    /a\.json: cannot read an attention record/,
  );
  const noRatio = structuredClone(good);
  delete noRatio.trained.byClass.fear.meanRatio;
  await assert.rejects(
    async () => readAttentionRecord(await write("b.json", noRatio)),
    new RegExp(`${dir}/b\\.json: trained\\.byClass\\.fear\\.meanRatio must be a number, got undefined`),
  );
  const noMachine = { ...good, machine: undefined };
  await assert.rejects(
    async () => readAttentionRecord(await write("c.json", noMachine)),
    /c\.json: not an attention record/,
  );
  await Deno.remove(dir, { recursive: true });
});
