/**
 * The mapping of each peer's labels onto the toolkit's one expression vocabulary (lib/data/labels.ts).
 *
 * @example
 * ```ts
 * import { CANONICAL_LABELS, toCanonical } from "./labels.ts";
 * toCanonical("face-api", "fearful"); // "fear"
 * ```
 * @module
 */
import { canonicalLabel, type Expression, FER2013_EMOTIONS } from "../data/labels.ts";

/** The seven FER2013 classes, in the FER2013 CSV emotion order 0..6: the peers' shared vocabulary. */
export const CANONICAL_LABELS: readonly Expression[] = FER2013_EMOTIONS;

/** The peers run live beside our model. */
export type PeerName = "human" | "face-api";

/** Each peer's output order, as its package source defines it. */
export const PEER_OUTPUT_LABELS: Record<PeerName, readonly string[]> = {
  // @vladmandic/human src/gear/emotion.ts, grayscale (oarriaga) model
  human: ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
  // @vladmandic/face-api src/faceExpressionNet/FaceExpressions.ts
  "face-api": ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"],
};

/** Maps one of a peer's labels onto the canonical vocabulary; throws on a label we do not know. */
export function toCanonical(peer: PeerName, label: string): Expression {
  const c = canonicalLabel(label);
  if (c === null || !CANONICAL_LABELS.includes(c)) {
    throw new Error(`peer ${peer}: label "${label}" has no canonical expression among ${CANONICAL_LABELS.join(", ")}`);
  }
  return c;
}

/**
 * Reorders a peer's probability vector into {@link CANONICAL_LABELS} order.
 *
 * @example
 * ```ts
 * reorderToCanonical("face-api", new Float32Array([1, 0, 0, 0, 0, 0, 0]))[6]; // 1 (neutral)
 * ```
 */
export function reorderToCanonical(peer: PeerName, probs: ArrayLike<number>): Float32Array {
  const labels = PEER_OUTPUT_LABELS[peer];
  if (probs.length !== labels.length) {
    throw new Error(`peer ${peer}: expected ${labels.length} probabilities, got ${probs.length}`);
  }
  const out = new Float32Array(CANONICAL_LABELS.length);
  labels.forEach((l, i) => out[CANONICAL_LABELS.indexOf(toCanonical(peer, l))] = probs[i]);
  return out;
}
