/**
 * Small real things for the engine's tests: an in-memory dataset of separable patterns, a 3×3 LBP,
 * a horizontal-flip augmentation and a tiny two-input tfjs-layers model.
 *
 * @example
 * ```ts
 * const ds = patternDataset({ n: 60, size: 16, seed: 1 });
 * const fm = tinyModel({ size: 16, numClasses: ds.classes.length, lbp: true, seed: 3 });
 * ```
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { Rng } from "../../util/rng.ts";
import type { Dataset, Sample } from "../../data/dataset.ts";
import type { GrayImage } from "../../data/image.ts";
import { defaultConfig } from "../../model/config.ts";
import type { FerModel } from "../../model/build.ts";

/** Three classes: a bright horizontal bar, vertical bar or diagonal, on noise; 6 subjects. */
export function patternDataset(opts: { n: number; size: number; seed: number }): Dataset {
  const rng = new Rng(opts.seed);
  const s = opts.size;
  const images: GrayImage[] = [];
  const samples: Sample[] = [];
  for (let i = 0; i < opts.n; i++) {
    const label = i % 3;
    const data = new Uint8Array(s * s);
    const off = rng.int(Math.max(1, s / 4)) + Math.floor(s / 3);
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        const on = label === 0 ? Math.abs(y - off) < 2 : label === 1 ? Math.abs(x - off) < 2 : Math.abs(x - y) < 2;
        data[y * s + x] = Math.min(255, (on ? 180 : 40) + rng.int(60));
      }
    }
    images.push({ width: s, height: s, data });
    samples.push({ path: `mem://${i}.png`, label, subject: `S${Math.floor((i * 6) / opts.n)}` });
  }
  return {
    name: "patterns",
    root: "mem://",
    classes: ["hbar", "vbar", "diag"],
    samples,
    load(sample: Sample, o?: { size?: number }): Promise<GrayImage> {
      if (o?.size !== undefined && o.size !== s) throw new Error(`patterns are ${s}x${s}, asked ${o.size}`);
      return Promise.resolve(images[samples.indexOf(sample)]);
    },
  };
}

/** 8-neighbour LBP (≥ centre → 1), border pixels 0, scaled to [0,1]. */
export function lbp3x3(img: GrayImage): Float32Array {
  const { width: w, height: h, data } = img;
  const out = new Float32Array(w * h);
  const nb = [[-1, -1], [0, -1], [1, -1], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0]];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const c = data[y * w + x];
      let code = 0;
      nb.forEach(([dx, dy], p) => (code |= (data[(y + dy) * w + x + dx] >= c ? 1 : 0) << p));
      out[y * w + x] = code / 255;
    }
  }
  return out;
}

/** Flips left-right with probability ½. */
export function flipAugment(img: GrayImage, rng: Rng): GrayImage {
  if (!rng.bernoulli(0.5)) return img;
  const { width: w, height: h } = img;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = img.data[y * w + (w - 1 - x)];
  return { width: w, height: h, data };
}

/** A tiny conv net, one input (raw) or two (raw + LBP), with batch norm and dropout. */
export function tinyModel(opts: { size: number; numClasses: number; lbp: boolean; seed: number }): FerModel {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: opts.seed + k });
  const raw = tfl.input({ shape: [opts.size, opts.size, 1], name: "raw" });
  const inputs = [raw];
  let x = tfl.layers.conv2d({ filters: 8, kernelSize: 5, strides: 2, activation: "relu", kernelInitializer: init(1) })
    .apply(raw) as tfl.SymbolicTensor;
  if (opts.lbp) {
    const l = tfl.input({ shape: [opts.size, opts.size, 1], name: "lbp" });
    inputs.push(l);
    const y = tfl.layers.conv2d({
      filters: 8,
      kernelSize: 5,
      strides: 2,
      activation: "relu",
      kernelInitializer: init(2),
    })
      .apply(l) as tfl.SymbolicTensor;
    x = tfl.layers.add().apply([x, y]) as tfl.SymbolicTensor;
  }
  x = tfl.layers.batchNormalization({ momentum: 0.8 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: 0.2 }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: opts.numClasses, activation: "softmax", kernelInitializer: init(3) })
    .apply(x) as tfl.SymbolicTensor;
  return {
    config: defaultConfig({ inputSize: opts.size, lbp: opts.lbp ? "original" : "none", numClasses: opts.numClasses }),
    model: tfl.model({ inputs, outputs: out }),
    attention: null,
  };
}
