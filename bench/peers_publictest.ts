/**
 * Measures both peers on the whole FER2013 PublicTest split and writes their record (default
 * `results/peers/fer2013-publictest.json`, which chapter 07 and the README cite): per peer accuracy,
 * macro-F1, per-class scores, the confusion matrix, backend and seconds; the package versions, the split,
 * and the machine with its load (see bench/record.ts). Not a test: run it when the peers or the data change.
 *
 * @example
 * ```sh
 * deno run -A bench/peers_publictest.ts [--out results/peers/fer2013-publictest.json]
 * ```
 * @module
 */
import { version_core } from "@tensorflow/tfjs-core";
import { evaluatePeer, FACE_API_VERSION, HUMAN_VERSION, type PeerName } from "../lib/peers/mod.ts";
import { scriptArgs } from "../tools/args.ts";
import { startRecord } from "./record.ts";

const { values } = scriptArgs(Deno.args, {
  command: "deno run -A bench/peers_publictest.ts",
  summary: "Accuracy, macro-F1 and confusion of both peers on FER2013 PublicTest, written as one record.",
  options: {
    out: { type: "string", default: "results/peers/fer2013-publictest.json", help: "the record to write" },
  },
});

const run = startRecord(`deno run -A bench/peers_publictest.ts --out ${values.out}`);
const peers: Record<string, unknown> = {};
for (const peer of ["human", "face-api"] as PeerName[]) {
  const t0 = performance.now();
  const r = await evaluatePeer(peer, { split: "PublicTest" });
  peers[peer] = { ...r, seconds: Math.round((performance.now() - t0) / 100) / 10 };
}
const record = await run.write(values.out, {
  dataset: "fer2013",
  split: "PublicTest",
  versions: {
    "@vladmandic/human": HUMAN_VERSION,
    "@vladmandic/face-api": FACE_API_VERSION,
    "@tensorflow/tfjs-core": version_core,
    deno: Deno.version.deno,
  },
  peers,
});
console.log(JSON.stringify(record, null, 1));
