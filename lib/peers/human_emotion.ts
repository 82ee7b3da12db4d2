/**
 * @vladmandic/human's emotion model run on face crops: oarriaga/face_classification's big-Xception (FER2013-trained;
 * not its 58k-parameter mini-Xception). The package's models/emotion.json has big-Xception's layout, a 3×3 conv
 * of 32 (stride 2) and one of 64, two residual blocks of separable convs (128, 256), a 3×3 conv to 7 classes and
 * global average pooling, with 205,129 values: 205,127 float weights (BatchNorm folded into the convs) and the
 * pooling's 2 int32 axes (human_emotion_test.ts counts them).
 *
 * Preprocessing follows the package's src/gear/emotion.ts: image in [0,1], bilinear resize to the
 * model's 64×64, grey = 0.2989 R + 0.5870 G + 0.1140 B, then (grey − 0.5) × 2. The model ends in a
 * softmax over angry, disgust, fear, happy, sad, surprise, neutral.
 *
 * @example
 * ```ts
 * const m = await loadHumanEmotion();
 * const probs = m.predict([img]); // Float32Array per image, raw model order
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { join } from "node:path";
import { packageDir, readModelArtifacts } from "./package_files.ts";
import type { GrayImage } from "../data/image.ts";

/** Version of the npm package whose model file is loaded. */
export const HUMAN_VERSION = "3.3.6";

/** A loaded peer model: batched prediction in the model's own label order. */
export interface PeerModel {
  inputSize: number;
  predict(images: GrayImage[]): Float32Array[];
  dispose(): void;
}

/** Grey images → [n, h, w, 1] float tensor in [0,1]. */
export function grayBatch(images: GrayImage[]): tf.Tensor4D {
  if (images.length === 0) throw new Error("no images given");
  const { width, height } = images[0];
  const buf = new Float32Array(images.length * width * height);
  images.forEach((im, i) => {
    if (im.width !== width || im.height !== height || im.data.length !== width * height) {
      throw new Error(
        `image ${i}: expected ${width}×${height} grey (${
          width * height
        } bytes), got ${im.width}×${im.height} with ${im.data.length} bytes`,
      );
    }
    for (let j = 0; j < im.data.length; j++) buf[i * width * height + j] = im.data[j] / 255;
  });
  return tf.tensor4d(buf, [images.length, height, width, 1]);
}

/** Loads human's emotion.json from the installed package (no network). */
export async function loadHumanEmotion(): Promise<PeerModel> {
  const path = join(packageDir("@vladmandic/human", HUMAN_VERSION), "models", "emotion.json");
  const model: GraphModel = await loadGraphModel(tf.io.fromMemory(await readModelArtifacts(path)));
  const shape = model.inputs[0].shape;
  if (!shape || shape[3] !== 1) throw new Error(`${path}: expected a grayscale [n,h,w,1] input, got ${shape}`);
  const inputSize = shape[2];
  return {
    inputSize,
    predict(images) {
      const out = tf.tidy(() => {
        const x = grayBatch(images);
        const rgb = tf.tile(x, [1, 1, 1, 3]); // the package sees RGB face crops; ours are grey
        const resized = tf.image.resizeBilinear(rgb, [inputSize, inputSize], false);
        const grey = tf.sum(tf.mul(resized, tf.tensor1d([0.2989, 0.5870, 0.1140])), 3, true);
        const norm = tf.mul(tf.sub(grey, 0.5), 2);
        return model.execute(norm) as tf.Tensor2D;
      });
      const data = out.dataSync() as Float32Array;
      const k = out.shape[1];
      out.dispose();
      return images.map((_, i) => data.slice(i * k, (i + 1) * k));
    },
    dispose: () => model.dispose(),
  };
}
