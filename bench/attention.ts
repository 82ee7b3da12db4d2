/**
 * Chapter 08's attention scoring as a record: F_m on 700 unseen synthetic faces (seed 1001), overall and per
 * class, as mass inside the expression mask ÷ mask area (1 = uniform; lib/report/attention_study.ts), beside
 * the uniform and centred-Gaussian references. lib/report/attention_record.ts types and reads what it writes.
 *
 * - **Untrained**: the network of the committed main-job record (`--record`), built from the model config in
 *   that record with its seeded initial weights: what the record's network looked like before training.
 * - **Trained**: a main job trained on this machine (`deno task main`: the newest synthetic run with a saved
 *   model under outputs/runs, or `--run`). Models are not committed, so the record's own trained network can be
 *   scored only where it is trained again with the same history; the record says whether this one is
 *   (`network.sameHistoryAsRecord`) and, if not, from which epoch the histories part.
 *
 * @example
 * ```sh
 * deno task main   # trains outputs/runs/<id>/ (about 5 minutes on 2 idle cores)
 * deno run -A bench/attention.ts --out results/attention/main-job-<machine>.json
 * ```
 * @module
 */
import { type AttentionRecordBody, attentionStudy, findAttentionRun } from "../lib/report/mod.ts";
import { buildModel, defaultConfig, loadModel } from "../lib/model/mod.ts";
import { selectBackend } from "../lib/backend/mod.ts";
import { outputsDir } from "../lib/viz/mod.ts";
import { readJsonFile } from "../lib/util/mod.ts";
import { startRecord } from "./record.ts";
import { scriptArgs } from "../tools/args.ts";

const { values } = scriptArgs(Deno.args, {
  command: "deno run -A bench/attention.ts",
  summary: "Chapter 08's attention scoring (F_m on 700 unseen synthetic faces) of the main job's network, untrained " +
    "and trained, written as one record.",
  options: {
    run: {
      type: "string",
      help: "the trained run folder (default: the newest synthetic run with a saved model under outputs/runs)",
    },
    record: {
      type: "string",
      default: "results/runs/20261130-035645-synthetic-synthetic-ddc6.json",
      help: "the main-job record whose model config builds the untrained network",
    },
    out: { type: "string", default: "results/attention/main-job.json", help: "the record to write" },
  },
});
const bench = startRecord(`deno run -A bench/attention.ts ${Deno.args.join(" ")}`.trim());
const runDir = values.run ?? (await findAttentionRun(`${outputsDir()}/runs`))?.dir;
if (!runDir) {
  throw new Error(`no synthetic run with a saved model in ${outputsDir()}/runs: run \`deno task main\` first`);
}

// deno-lint-ignore no-explicit-any
const read = async (path: string): Promise<any> => await readJsonFile(path, "a run record");
const [ran, recorded] = [await read(`${runDir}/run.json`), await read(values.record)];
if (!recorded.config?.model || !recorded.attention) {
  throw new Error(`${values.record}: expected a main-job run record with config.model and attention`);
}
const timeless = (h: Record<string, number>[]) => h.map(({ seconds: _s, img_per_s: _i, ...m }) => JSON.stringify(m));
const [a, b] = [timeless(ran.history), timeless(recorded.history)];
const firstDifferent = a.length === b.length && a.every((e, i) => e === b[i])
  ? null
  : Math.min(a.length, b.length, ...a.map((e, i) => (e === b[i] ? Infinity : i))) + 1;

await selectBackend("auto", { quiet: true });
const study = async (fm: ReturnType<typeof buildModel>) => {
  const s = await attentionStudy(fm, { n: 700 });
  return { overall: s.overall, byClass: s.byClass, references: s.references };
};
const untrained = await study(buildModel(defaultConfig(recorded.config.model)));
const trained = await study(await loadModel(`${runDir}/model`));
const body: AttentionRecordBody = {
  what: "F_m mass inside the expression mask ÷ mask area on 700 unseen synthetic faces (seed 1001); 1 = uniform",
  untrained: { network: `${values.record}: config.model, seeded initial weights`, ...untrained },
  trained: {
    network: {
      run: ran.id,
      commit: ran.gitCommit,
      machine: ran.machine,
      result: {
        accuracy: ran.result.accuracy,
        accuracyWithoutTta: ran.accuracyWithoutTta,
        macroF1: ran.result.macroF1,
      },
      sameHistoryAsRecord: firstDifferent === null,
      historyDiffersFromEpoch: firstDifferent,
      record: { path: values.record, ratio: recorded.attention.ratio, machine: recorded.machine },
    },
    ...trained,
  },
};
const record = await bench.write(values.out, { ...body });
console.log(JSON.stringify(record, null, 1));
