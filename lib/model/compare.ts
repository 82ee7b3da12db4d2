/**
 * Side-by-side sizes of several configurations: parameters and multiply-adds per preset and
 * input size, and per-module totals of a few variants (the Table 2 rows). Builds each network
 * once (identical configs are measured once), summarises it and frees its weights.
 *
 * @example
 * ```ts
 * const rows = presetCosts({ presets: ["paper", "table2-no-attention"], inputSizes: [48, 256] });
 * console.table(costsTable(rows));
 * ```
 * @module
 */
import { Progress } from "../util/progress.ts";
import { buildModel } from "./build.ts";
import type { ModelConfig } from "./config.ts";
import { preset } from "./presets.ts";
import { formatCount, type ModelSummary, summarizeModel, summarizeModules } from "./summary.ts";

/** Size of one preset at one input size. */
export interface PresetCost {
  preset: string;
  inputSize: number;
  params: number;
  trainableParams: number;
  macs: number;
}

/**
 * Summarises `config` (build, count, dispose), reusing `cache` for configs of the same shape:
 * the LBP variant (other than "none") and the dilation rates change no layer shape, parameter or
 * multiply-add count, so they are left out of the cache key.
 *
 * @example
 * ```ts
 * const s = summarizeConfig(preset("cpu-small"));
 * ```
 */
export function summarizeConfig(config: ModelConfig, cache?: Map<string, ModelSummary>): ModelSummary {
  const key = JSON.stringify({
    ...config,
    lbp: config.lbp === "none" ? "none" : "any",
    dilations: config.dilations.length,
    seed: 0,
  });
  const hit = cache?.get(key);
  if (hit) return hit;
  const fm = buildModel(config);
  const s = summarizeModel(fm);
  fm.model.dispose();
  cache?.set(key, s);
  return s;
}

/**
 * Parameters and MACs of every preset in `presets` at every size in `inputSizes` (other fields of
 * the preset kept), with a progress bar.
 *
 * @example
 * ```ts
 * presetCosts({ presets: ["table3-A"], inputSizes: [48] })[0].macs;
 * ```
 */
export function presetCosts(opts: { presets: string[]; inputSizes: number[] }): PresetCost[] {
  const cache = new Map<string, ModelSummary>();
  const progress = new Progress({
    label: "model sizes",
    total: opts.presets.length * opts.inputSizes.length,
    unit: "model",
  });
  const rows: PresetCost[] = [];
  for (const name of opts.presets) {
    for (const inputSize of opts.inputSizes) {
      const s = summarizeConfig(preset(name, { inputSize }), cache);
      rows.push({ preset: name, inputSize, params: s.params, trainableParams: s.trainableParams, macs: s.macs });
      progress.tick(1);
    }
  }
  progress.done();
  return rows;
}

/**
 * One row per preset with formatted params/MACs columns per input size, ready for `showTable`.
 *
 * @example
 * ```ts
 * showTable(costsTable(rows), { title: "size of every preset" });
 * ```
 */
export function costsTable(rows: PresetCost[]): Record<string, string>[] {
  const sizes = [...new Set(rows.map((r) => r.inputSize))];
  const names = [...new Set(rows.map((r) => r.preset))];
  return names.map((preset) => {
    const row: Record<string, string> = { preset };
    for (const s of sizes) {
      const r = rows.find((x) => x.preset === preset && x.inputSize === s);
      row[`params @${s}`] = r ? formatCount(r.params) : "";
      row[`MACs @${s}`] = r ? formatCount(r.macs) : "";
    }
    return row;
  });
}

/**
 * Per-module parameters and MACs of several summaries side by side, one row per module plus a
 * total row ("—" where a module is absent), ready for `showTable`.
 *
 * @example
 * ```ts
 * showTable(moduleComparison({ complete: s1, "no attention": s2 }));
 * ```
 */
export function moduleComparison(summaries: Record<string, ModelSummary>): Record<string, string>[] {
  const names = Object.keys(summaries);
  const perName = names.map((n) => summarizeModules(summaries[n]));
  const modules = [...new Set(perName.flatMap((ms) => ms.map((m) => m.module)))];
  const rows = modules.map((module) => {
    const row: Record<string, string> = { module };
    names.forEach((n, i) => {
      const m = perName[i].find((x) => x.module === module);
      row[`${n} params`] = m ? formatCount(m.params) : "—";
      row[`${n} MACs`] = m ? formatCount(m.macs) : "—";
    });
    return row;
  });
  const total: Record<string, string> = { module: "total" };
  for (const n of names) {
    total[`${n} params`] = formatCount(summaries[n].params);
    total[`${n} MACs`] = formatCount(summaries[n].macs);
  }
  return [...rows, total];
}
