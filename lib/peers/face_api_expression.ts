/**
 * @vladmandic/face-api's FaceExpressionNet, re-run with our tfjs-core from the weights file that ships
 * in the package (model/face_expression_model-weights_manifest.json + .bin).
 *
 * The forward pass mirrors the package source: src/faceFeatureExtractor/FaceFeatureExtractor.ts
 * (RGB 0..255 → bilinear resize to 112×112 → subtract mean RGB [122.782, 117.001, 104.298] → ÷255 →
 * four denseBlock4 (first with a plain stride-2 conv) → avgPool 7×7/2) and
 * src/faceProcessor/FaceProcessor.ts (fully connected 256→7, softmax). Output order: neutral, happy,
 * sad, angry, fearful, disgusted, surprised.
 *
 * @example
 * ```ts
 * const m = await loadFaceApiExpression();
 * const probs = m.predict([img]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { packageDir, readWeights } from "./package_files.ts";
import { grayBatch, type PeerModel } from "./human_emotion.ts";

/** Version of the npm package whose weights are loaded. */
export const FACE_API_VERSION = "1.7.15";

const INPUT_SIZE = 112;
const MEAN_RGB = [122.782, 117.001, 104.298];

type Weights = tf.NamedTensorMap;

function w(map: Weights, name: string): tf.Tensor {
  const t = map[name];
  if (!t) throw new Error(`face-api expression weights: missing tensor "${name}"`);
  return t;
}

function sepConv(x: tf.Tensor4D, map: Weights, prefix: string, stride: 1 | 2): tf.Tensor4D {
  const out = tf.separableConv2d(
    x,
    w(map, `${prefix}/depthwise_filter`) as tf.Tensor4D,
    w(map, `${prefix}/pointwise_filter`) as tf.Tensor4D,
    stride,
    "same",
  );
  return tf.add(out, w(map, `${prefix}/bias`));
}

function denseBlock4(x: tf.Tensor4D, map: Weights, prefix: string, first: boolean): tf.Tensor4D {
  const out1 = tf.relu(
    first
      ? tf.add(
        tf.conv2d(x, w(map, `${prefix}/conv0/filters`) as tf.Tensor4D, 2, "same"),
        w(map, `${prefix}/conv0/bias`),
      )
      : sepConv(x, map, `${prefix}/conv0`, 2),
  ) as tf.Tensor4D;
  const out2 = sepConv(out1, map, `${prefix}/conv1`, 1);
  const in3 = tf.relu(tf.add(out1, out2)) as tf.Tensor4D;
  const out3 = sepConv(in3, map, `${prefix}/conv2`, 1);
  const in4 = tf.relu(tf.add(out1, tf.add(out2, out3))) as tf.Tensor4D;
  const out4 = sepConv(in4, map, `${prefix}/conv3`, 1);
  return tf.relu(tf.add(out1, tf.add(out2, tf.add(out3, out4)))) as tf.Tensor4D;
}

/** Loads face-api's expression weights from the installed package (no network). */
export async function loadFaceApiExpression(): Promise<PeerModel> {
  const manifest = join(
    packageDir("@vladmandic/face-api", FACE_API_VERSION),
    "model",
    "face_expression_model-weights_manifest.json",
  );
  let groups;
  try {
    groups = JSON.parse(await Deno.readTextFile(manifest));
  } catch (err) {
    throw new Error(`face-api weights manifest ${manifest} cannot be read: ${err}`);
  }
  const { specs, data } = await readWeights(manifest, groups);
  const map = tf.io.decodeWeights(data, specs);
  return {
    inputSize: INPUT_SIZE,
    predict(images) {
      const out = tf.tidy(() => {
        const rgb255 = tf.mul(tf.tile(grayBatch(images), [1, 1, 1, 3]), 255);
        const resized = tf.image.resizeBilinear(rgb255 as tf.Tensor4D, [INPUT_SIZE, INPUT_SIZE], false, false);
        const x = tf.div(tf.sub(resized, tf.tensor1d(MEAN_RGB)), 255) as tf.Tensor4D;
        let h = denseBlock4(x, map, "dense0", true);
        h = denseBlock4(h, map, "dense1", false);
        h = denseBlock4(h, map, "dense2", false);
        h = denseBlock4(h, map, "dense3", false);
        const pooled = tf.avgPool(h, [7, 7], [2, 2], "valid");
        const flat = tf.reshape(pooled, [images.length, -1]) as tf.Tensor2D;
        const logits = tf.add(tf.matMul(flat, w(map, "fc/weights") as tf.Tensor2D), w(map, "fc/bias"));
        return tf.softmax(logits as tf.Tensor2D);
      });
      const d = out.dataSync() as Float32Array;
      const k = out.shape[1];
      out.dispose();
      return images.map((_, i) => d.slice(i * k, (i + 1) * k));
    },
    dispose: () => Object.values(map).forEach((t) => t.dispose()),
  };
}
