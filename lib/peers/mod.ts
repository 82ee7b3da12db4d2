/**
 * The peers: two published FER models (@vladmandic/human's emotion model and face-api's expression
 * net) run live from their npm packages' weights, mapped onto the toolkit's expression labels and
 * evaluated on FER2013 beside our model.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): face_api_expression.ts, human_emotion.ts,
 *  package_files.ts, peers.ts.
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
export { HUMAN_VERSION, type PeerModel } from "./human_emotion.ts";
export { FACE_API_VERSION } from "./face_api_expression.ts";
export { PEERS_PUBLICTEST_RECORD, type PeersRecord, readPeersRecord } from "./record.ts";
export { packageDir } from "./package_files.ts";
