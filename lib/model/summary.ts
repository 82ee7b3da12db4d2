/**
 * Layer table, parameter counts and multiply-adds of a built {@link FerModel}.
 *
 * Multiply-adds (MACs) per image are computed from layer shapes: a k×k conv (atrous or not)
 * costs H_out·W_out·k²·C_in·C_out, a dense layer C_in·C_out, the attention product one per
 * element. BatchNorm, activations, pooling, concatenation and additions are not counted (BN folds
 * into the conv at inference; the others are negligible next to the convs).
 *
 * @example
 * ```ts
 * const s = summarizeModel(buildModel(preset("cpu-small")));
 * console.log(s.params, s.macs);
 * console.log(summaryMarkdown(s));
 * ```
 * @module
 */
import type { layers as tflayers, SymbolicTensor } from "@tensorflow/tfjs-layers";
import type { FerModel } from "./build.ts";

type Layer = tflayers.Layer;

/** One row of the layer table. */
export interface LayerSummary {
  name: string;
  /** Module the layer belongs to: input, raw, lbp, fuse, att/trunk, att/mask, att, rec, cls. */
  module: string;
  /** tfjs class name (Conv2D, AtrousConv2D, BatchNormalization, …). */
  type: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  params: number;
  /** Multiply-adds per image. */
  macs: number;
}

/** A whole-model summary. */
export interface ModelSummary {
  layers: LayerSummary[];
  params: number;
  trainableParams: number;
  /** Multiply-adds per image. */
  macs: number;
}

/** Totals of one module. */
export interface ModuleSummary {
  module: string;
  layers: number;
  params: number;
  macs: number;
}

/**
 * The module a layer name belongs to: its first path segment, or the first two for `att/trunk/…`
 * and `att/mask/…`.
 *
 * @example
 * ```ts
 * moduleOf("att/mask/conv1_bn"); // "att/mask"
 * moduleOf("raw/conv1_1");       // "raw"
 * ```
 */
export function moduleOf(layerName: string): string {
  const parts = layerName.split("/");
  if (parts[0] === "att" && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts.length > 1 ? parts[0] : "other";
}

function shapeOf(t: SymbolicTensor | SymbolicTensor[]): number[] {
  const s = Array.isArray(t) ? t[0].shape : t.shape;
  return s.slice(1).map((d) => d ?? -1);
}

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

function layerMacs(layer: Layer): number {
  const type = layer.getClassName();
  const out = shapeOf(layer.output as SymbolicTensor);
  const inp = shapeOf(layer.input as SymbolicTensor);
  const cin = inp[inp.length - 1];
  const cfg = layer.getConfig();
  if (type === "Conv2D") {
    const k = cfg.kernelSize as number[];
    return out[0] * out[1] * k[0] * k[1] * cin * (cfg.filters as number);
  }
  if (type === "AtrousConv2D") return out[0] * out[1] * 9 * cin * (cfg.filters as number);
  if (type === "Dense") return cin * (cfg.units as number);
  if (type === "Multiply") return product(out);
  return 0;
}

/**
 * Summarises every layer of `fm.model`.
 *
 * @example
 * ```ts
 * const { params, trainableParams, macs } = summarizeModel(fm);
 * ```
 */
export function summarizeModel(fm: FerModel): ModelSummary {
  const rows: LayerSummary[] = fm.model.layers.map((layer) => ({
    name: layer.name,
    module: moduleOf(layer.name),
    type: layer.getClassName(),
    outputShape: shapeOf(layer.output as SymbolicTensor),
    params: layer.countParams(),
    macs: layerMacs(layer),
  }));
  const trainableParams = fm.model.trainableWeights.reduce((n, w) => n + product(w.shape as number[]), 0);
  return {
    layers: rows,
    params: rows.reduce((n, r) => n + r.params, 0),
    trainableParams,
    macs: rows.reduce((n, r) => n + r.macs, 0),
  };
}

/**
 * Per-module totals, in order of first appearance.
 *
 * @example
 * ```ts
 * summarizeModules(summarizeModel(fm)).find((m) => m.module === "rec")?.params;
 * ```
 */
export function summarizeModules(s: ModelSummary): ModuleSummary[] {
  const byModule = new Map<string, ModuleSummary>();
  for (const l of s.layers) {
    const m = byModule.get(l.module) ?? { module: l.module, layers: 0, params: 0, macs: 0 };
    m.layers++;
    m.params += l.params;
    m.macs += l.macs;
    byModule.set(l.module, m);
  }
  return [...byModule.values()];
}

/**
 * Human-readable count: 1234567 → "1.23M".
 *
 * @example
 * ```ts
 * formatCount(2_500_000_000); // "2.50G"
 * ```
 */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/**
 * The layer table as markdown (`layers: false` gives only the per-module totals).
 *
 * @example
 * ```ts
 * console.log(summaryMarkdown(summarizeModel(fm), { layers: false }));
 * ```
 */
export function summaryMarkdown(s: ModelSummary, opts: { layers?: boolean } = {}): string {
  const lines: string[] = [];
  if (opts.layers ?? true) {
    lines.push("| layer | module | type | output | params | MACs |", "|---|---|---|---|---:|---:|");
    for (const l of s.layers) {
      lines.push(
        `| ${l.name} | ${l.module} | ${l.type} | ${l.outputShape.join("×")} | ${l.params} | ${formatCount(l.macs)} |`,
      );
    }
    lines.push("");
  }
  lines.push("| module | layers | params | MACs |", "|---|---:|---:|---:|");
  for (const m of summarizeModules(s)) {
    lines.push(`| ${m.module} | ${m.layers} | ${formatCount(m.params)} | ${formatCount(m.macs)} |`);
  }
  lines.push(`| **total** | ${s.layers.length} | ${formatCount(s.params)} | ${formatCount(s.macs)} |`);
  lines.push("", `trainable parameters: ${s.trainableParams} of ${s.params}`);
  return lines.join("\n");
}
