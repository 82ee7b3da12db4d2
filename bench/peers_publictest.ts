/**
 * Measures both peers on the whole FER2013 PublicTest split and prints one JSON line per peer
 * (accuracy, macro-F1, confusion, backend, seconds). Not a test: run it once and report the numbers.
 *
 * @example
 * ```sh
 * deno run -A bench/peers_publictest.ts > outputs/peers_publictest.json
 * ```
 * @module
 */
import { evaluatePeer, type PeerName } from "../lib/peers/mod.ts";
import { benchArgs } from "./args.ts";

benchArgs(Deno.args, {
  usage: "deno run -A bench/peers_publictest.ts",
  summary: "Accuracy, macro-F1 and confusion of both peers on FER2013 PublicTest, one JSON line per peer.",
  options: {},
});

for (const peer of ["human", "face-api"] as PeerName[]) {
  const t0 = performance.now();
  const r = await evaluatePeer(peer, { split: "PublicTest" });
  console.log(JSON.stringify({ ...r, seconds: (performance.now() - t0) / 1000 }));
}
