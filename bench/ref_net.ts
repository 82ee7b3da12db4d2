/**
 * The issue-7 reference network in tfjs-layers, mirrored layer for layer by bench/torch_ref.py:
 * 3 VGG blocks (64-64, 128-128, 256-256-256 convs 3×3 "same", each conv + BatchNorm + ReLU,
 * 2×2 max-pool after each block), flatten, dense 256 + ReLU, dense 7 softmax.
 *
 * @example
 * ```ts
 * const model = referenceNet({ size: 48, channels: 1, classes: 7 });
 * ```
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";

/** Options of {@link referenceNet}. */
export interface RefNetOptions {
  size: number;
  channels: number;
  classes: number;
}

/** Builds and compiles (Adam 1e-3, categorical cross-entropy) the reference net. */
export function referenceNet(o: RefNetOptions): tfl.LayersModel {
  const m = tfl.sequential();
  let first = true;
  for (const block of [[64, 64], [128, 128], [256, 256, 256]]) {
    for (const filters of block) {
      m.add(tfl.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: "same",
        ...(first ? { inputShape: [o.size, o.size, o.channels] } : {}),
      }));
      first = false;
      m.add(tfl.layers.batchNormalization({ axis: -1 }));
      m.add(tfl.layers.activation({ activation: "relu" }));
    }
    m.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  }
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 256, activation: "relu" }));
  m.add(tfl.layers.dense({ units: o.classes, activation: "softmax" }));
  m.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  return m;
}
