/**
 * The canonical expression vocabulary of the toolkit and the mapping of each peer's labels onto it.
 *
 * @example
 * ```ts
 * import { CANONICAL_LABELS, toCanonical } from "./labels.ts";
 * toCanonical("face-api", "fearful"); // "fear"
 * ```
 * @module
 */

/** The seven FER2013 classes, in the FER2013 CSV emotion order 0..6. */
export const CANONICAL_LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;

/** One canonical expression label. */
export type CanonicalLabel = typeof CANONICAL_LABELS[number];

/** The peers run live beside our model. */
export type PeerName = "human" | "face-api";

/** Each peer's output order, as its package source defines it. */
export const PEER_OUTPUT_LABELS: Record<PeerName, readonly string[]> = {
  // @vladmandic/human src/gear/emotion.ts, grayscale (oarriaga) model
  human: ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
  // @vladmandic/face-api src/faceExpressionNet/FaceExpressions.ts
  "face-api": ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"],
};

const SYNONYMS: Record<string, CanonicalLabel> = {
  angry: "angry",
  anger: "angry",
  disgust: "disgust",
  disgusted: "disgust",
  fear: "fear",
  fearful: "fear",
  happy: "happy",
  happiness: "happy",
  sad: "sad",
  sadness: "sad",
  surprise: "surprise",
  surprised: "surprise",
  neutral: "neutral",
};

/** Maps one of a peer's labels onto the canonical vocabulary; throws on a label we do not know. */
export function toCanonical(peer: PeerName, label: string): CanonicalLabel {
  const c = SYNONYMS[label];
  if (!c) {
    throw new Error(`peer ${peer}: label "${label}" has no canonical expression (known: ${Object.keys(SYNONYMS)})`);
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
