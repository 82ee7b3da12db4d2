/**
 * The peers, run live: predict canonical-order expression probabilities on grey face crops and
 * evaluate on a FER2013 split (accuracy, macro-F1, confusion) with progress.
 *
 * @example
 * ```ts
 * const preds = await peerPredict("human", [img]);
 * preds[0].label; // "happy"
 * const report = await evaluatePeer("face-api", { split: "PublicTest", limit: 200 });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { Progress } from "../util/progress.ts";
import { loadHumanEmotion, type PeerModel } from "./human_emotion.ts";
import { loadFaceApiExpression } from "./face_api_expression.ts";
import type { Expression } from "../data/labels.ts";
import { accuracy, confusionMatrix, type EvalReport, perClassMetrics } from "../eval/metrics.ts";
import { CANONICAL_LABELS, type PeerName, reorderToCanonical, toCanonical } from "./labels.ts";
import { ensureBackend } from "../backend/select.ts";
import { evenSubset } from "../data/routing.ts";
import type { GrayImage } from "../data/image.ts";
import { loadDataset } from "../data/load.ts";
import { datasetsRoot } from "../data/paths.ts";

export type { PeerName } from "./labels.ts";

/** One prediction: the arg-max label and the probabilities in {@link CANONICAL_LABELS} order. */
export interface PeerPrediction {
  label: Expression;
  probs: Float32Array;
}

const loaded = new Map<PeerName, Promise<PeerModel>>();

/** Loads a peer once per process (weights from its npm package files). */
export function loadPeer(name: PeerName): Promise<PeerModel> {
  let m = loaded.get(name);
  if (!m) {
    if (name === "human") m = loadHumanEmotion();
    else if (name === "face-api") m = loadFaceApiExpression();
    else throw new Error(`unknown peer "${name}" (expected human or face-api)`);
    loaded.set(name, m);
  }
  return m;
}

/** Runs a peer on grey face crops; returns canonical-order probabilities and the arg-max label. */
export async function peerPredict(name: PeerName, images: GrayImage[], batchSize = 64): Promise<PeerPrediction[]> {
  await ensureBackend();
  const model = await loadPeer(name);
  const out: PeerPrediction[] = [];
  for (let i = 0; i < images.length; i += batchSize) {
    for (const raw of model.predict(images.slice(i, i + batchSize))) {
      const probs = reorderToCanonical(name, raw);
      let best = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
      out.push({ label: CANONICAL_LABELS[best], probs });
    }
  }
  return out;
}

/** A peer's evaluation on one split: the engine's {@link EvalReport} plus the peer, sample count and backend. */
export interface PeerEvalReport extends EvalReport {
  peer: PeerName;
  n: number;
  backend: string;
}

/** Options of {@link evaluatePeer}. */
export interface EvaluatePeerOptions {
  /** FER2013 image-folder root or fer2013.csv (default: `<datasets>/fer2013`). */
  root?: string;
  split?: string;
  /** Evaluate on an evenly spaced subset of this many images (all when absent). */
  limit?: number;
  batchSize?: number;
  /** TF.js backend to run on (default: the active one, else wasm, else cpu). */
  backend?: string;
}

/**
 * Accuracy, macro-F1, per-class scores and the confusion matrix of predictions vs truths. Unlike
 * lib/eval's `evalReport`, macro-F1 averages over the classes present in `truth` only.
 */
export function scorePredictions(truth: Expression[], pred: Expression[]) {
  const labels = [...CANONICAL_LABELS];
  const index = (l: Expression) => labels.indexOf(l);
  const yTrue = truth.map(index), yPred = pred.map(index);
  const confusion = confusionMatrix(yTrue, yPred, labels.length);
  const pcs = perClassMetrics(confusion);
  const present = pcs.filter((m) => m.support > 0);
  return {
    accuracy: accuracy(yTrue, yPred),
    macroF1: present.length ? present.reduce((a, m) => a + m.f1, 0) / present.length : 0,
    perClass: Object.fromEntries(labels.map((l, c) => [l, pcs[c]])),
    confusion,
    labels,
  };
}

/** Evaluates a peer on a FER2013 split (image folders or fer2013.csv), decoding and predicting in batches. */
export async function evaluatePeer(name: PeerName, opts: EvaluatePeerOptions = {}): Promise<PeerEvalReport> {
  const root = opts.root ?? defaultFerRoot();
  const split = opts.split ?? "PublicTest";
  const ds = await loadDataset({ dataset: "fer2013", root, splits: [split] });
  let samples = ds.samples.filter((s) => s.split === split);
  if (samples.length === 0) throw new Error(`${root}: no FER2013 images in split "${split}"`);
  if (opts.limit !== undefined) samples = evenSubset(samples, opts.limit);
  const bs = opts.batchSize ?? 128;
  await ensureBackend(opts.backend);
  const truth: Expression[] = [];
  const pred: Expression[] = [];
  const p = new Progress({ label: `peer ${name} on ${split}`, total: samples.length, unit: "img" });
  for (let i = 0; i < samples.length; i += bs) {
    const chunk = samples.slice(i, i + bs);
    const imgs = await Promise.all(chunk.map((s) => ds.load(s)));
    const res = await peerPredict(name, imgs, bs);
    chunk.forEach((s, j) => {
      truth.push(toCanonical(name, ds.classes[s.label]));
      pred.push(res[j].label);
    });
    p.tick(chunk.length, { acc: pred.filter((l, j) => l === truth[j]).length / pred.length });
  }
  const s = scorePredictions(truth, pred);
  p.done({ acc: s.accuracy });
  return { peer: name, split, n: samples.length, ...s, backend: tf.getBackend() };
}

/** `<datasets>/fer2013`, or an error saying how to point at the data. */
function defaultFerRoot(): string {
  const root = datasetsRoot();
  if (!root) throw new Error("no datasets folder: set FER_DATA or pass root (a FER2013 image folder or fer2013.csv)");
  return join(root, "fer2013");
}
