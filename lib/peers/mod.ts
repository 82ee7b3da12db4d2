/**
 * The peers: two published FER models (@vladmandic/human's emotion model and face-api's expression
 * net) run live from their npm packages' weights, mapped onto the toolkit's expression labels and
 * evaluated on FER2013 beside our model.
 *
 * @example
 * ```ts
 * import { evaluatePeer } from "../lib/peers/mod.ts";
 * const rep = await evaluatePeer("human", { split: "PublicTest", limit: 500 });
 * ```
 * @module
 */
export {
  evaluatePeer,
  type EvaluatePeerOptions,
  loadPeer,
  type PeerEvalReport,
  peerPredict,
  type PeerPrediction,
  scorePredictions,
} from "./peers.ts";
export { CANONICAL_LABELS, PEER_OUTPUT_LABELS, type PeerName, reorderToCanonical, toCanonical } from "./labels.ts";
export { type PeerModel } from "./human_emotion.ts";
export { packageDir } from "./package_files.ts";
