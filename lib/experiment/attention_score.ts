/**
 * How much of an attention map's mass falls where the expression signal lives. The map (the
 * model's F_m, possibly at a lower resolution than the picture) is upsampled bilinearly to the
 * mask's size; the score is the fraction of the map's total mass inside the mask, compared with the
 * mask's area fraction — what a uniform map would get. ratio = massInside / areaFraction (1 = no
 * better than uniform; 1/areaFraction = all mass inside).
 *
 * @example
 * ```ts
 * const s = attentionScore({ data: fm, width: 12, height: 12 }, mask); // mask: 48×48, 255 inside
 * s.ratio; // e.g. 1.8
 * ```
 * @module
 */
import type { FloatMap, GrayImage } from "../data/image.ts";

/** The score of one map against one mask. */
export interface AttentionScore {
  /** Share of the map's mass inside the mask, in [0,1]. */
  massInside: number;
  /** Share of pixels inside the mask: a uniform map's massInside. */
  areaFraction: number;
  /** massInside / areaFraction. */
  ratio: number;
}

/** Bilinear resize of a map (half-pixel centres, edge clamped), like tf.image.resizeBilinear. */
export function upsampleBilinear(m: FloatMap, width: number, height: number): Float32Array {
  const { data: map, width: w, height: h } = m;
  if (map.length !== w * h) throw new Error(`attention map: expected ${w}×${h} = ${w * h} values, got ${map.length}`);
  const out = new Float32Array(width * height);
  const sy = h / height, sx = w / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(h - 1, y0 + 1), dy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(w - 1, x0 + 1), dx = fx - x0;
      const top = map[y0 * w + x0] * (1 - dx) + map[y0 * w + x1] * dx;
      const bot = map[y1 * w + x0] * (1 - dx) + map[y1 * w + x1] * dx;
      out[y * width + x] = top * (1 - dy) + bot * dy;
    }
  }
  return out;
}

/** Averages an H×W×C (channels-last) map over its channels (F_m has one map per channel). */
export function meanOverChannels(data: Float32Array, width: number, height: number, channels: number): FloatMap {
  if (data.length !== width * height * channels) {
    throw new Error(
      `expected ${width}×${height}×${channels} = ${width * height * channels} values, got ${data.length}`,
    );
  }
  const map = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += data[i * channels + c];
    map[i] = s / channels;
  }
  return { data: map, width, height };
}

/** Scores one attention map against one mask (the map is upsampled to the mask's size). */
export function attentionScore(m: FloatMap, mask: GrayImage): AttentionScore {
  if (mask.data.length !== mask.width * mask.height) {
    throw new Error(`mask: expected ${mask.width}×${mask.height} bytes, got ${mask.data.length}`);
  }
  const up = m.width === mask.width && m.height === mask.height ? m.data : upsampleBilinear(m, mask.width, mask.height);
  let total = 0, inside = 0, area = 0;
  for (let i = 0; i < up.length; i++) {
    const v = up[i];
    if (!(v >= 0)) throw new Error(`attention map value ${v} at ${i} is negative or NaN (F_m is a sigmoid, in [0,1])`);
    total += v;
    if (mask.data[i]) {
      inside += v;
      area++;
    }
  }
  if (area === 0) throw new Error("mask is empty: no pixel marks the expression region");
  if (total === 0) throw new Error("attention map is all zeros: no mass to score");
  const massInside = inside / total, areaFraction = area / up.length;
  return { massInside, areaFraction, ratio: massInside / areaFraction };
}

/** Mean scores over a set, and the share of maps that beat a uniform map (ratio > 1). */
export interface AttentionSummary {
  n: number;
  meanMassInside: number;
  meanAreaFraction: number;
  meanRatio: number;
  shareAboveUniform: number;
}

/** Summarises per-image scores. */
export function summarizeScores(scores: AttentionScore[]): AttentionSummary {
  if (scores.length === 0) throw new Error("no attention scores to summarise");
  const mean = (f: (s: AttentionScore) => number) => scores.reduce((a, s) => a + f(s), 0) / scores.length;
  return {
    n: scores.length,
    meanMassInside: mean((s) => s.massInside),
    meanAreaFraction: mean((s) => s.areaFraction),
    meanRatio: mean((s) => s.ratio),
    shareAboveUniform: scores.filter((s) => s.ratio > 1).length / scores.length,
  };
}

/**
 * A centred Gaussian map (a "looks at the middle of the face" baseline to compare F_m against).
 *
 * @example
 * ```ts
 * attentionScore(gaussianMap(48, 48, 0.25), mask);
 * ```
 */
export function gaussianMap(width: number, height: number, sigmaFraction: number): FloatMap {
  if (!(sigmaFraction > 0)) throw new Error(`sigmaFraction must be > 0, got ${sigmaFraction}`);
  const map = new Float32Array(width * height);
  const cx = (width - 1) / 2, cy = (height - 1) / 2, sx = sigmaFraction * width, sy = sigmaFraction * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      map[y * width + x] = Math.exp(-0.5 * (((x - cx) / sx) ** 2 + ((y - cy) / sy) ** 2));
    }
  }
  return { data: map, width, height };
}

/**
 * Scores a batch of F_m maps (channels-last `[n, h, w, c]`, as the model's attention output) against
 * one mask per image: channels are averaged, each map upsampled to its mask.
 *
 * @example
 * ```ts
 * const fm = attentionModel.predict(inputs) as tf.Tensor4D;
 * scoreFmBatch({ data: fm.dataSync() as Float32Array, shape: fm.shape }, masks);
 * ```
 */
export function scoreFmBatch(
  fm: { data: Float32Array; shape: readonly number[] },
  masks: GrayImage[],
): AttentionScore[] {
  const [n, h, w, c] = fm.shape;
  if (fm.shape.length !== 4) throw new Error(`F_m must be [n, h, w, c], got shape [${fm.shape}]`);
  if (n !== masks.length) throw new Error(`F_m holds ${n} maps but ${masks.length} masks were given`);
  const per = h * w * c;
  return masks.map((mask, i) =>
    attentionScore(meanOverChannels(fm.data.subarray(i * per, (i + 1) * per), w, h, c), mask)
  );
}

/** Scores of the two reference maps (uniform, centred Gaussian) over a set of masks. */
export function baselineScores(
  masks: GrayImage[],
  sigmaFraction = 0.25,
): Record<"uniform" | "centre", AttentionSummary> {
  return {
    uniform: summarizeScores(
      masks.map((m) =>
        attentionScore({ data: new Float32Array(m.width * m.height).fill(1), width: m.width, height: m.height }, m)
      ),
    ),
    centre: summarizeScores(masks.map((m) => attentionScore(gaussianMap(m.width, m.height, sigmaFraction), m))),
  };
}

/**
 * The mask itself at a map's resolution: each of `width`×`height` cells holds its share of mask pixels. Scored like
 * F_m (upsampled back), it is what a map that can only be that coarse gets at best by looking exactly where the
 * expression is — the ceiling to read a trained F_m's ratio against (5.05 at 48 px faces' 6×6).
 *
 * @example
 * ```ts
 * attentionScore(maskGridMap(mask, 6, 6), mask).ratio; // e.g. 5
 * ```
 */
export function maskGridMap(mask: GrayImage, width: number, height: number): FloatMap {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new Error(`grid must be positive integers, got ${width}×${height}`);
  }
  const sum = new Float32Array(width * height), count = new Float32Array(width * height);
  for (let y = 0; y < mask.height; y++) {
    const gy = Math.floor(y * height / mask.height);
    for (let x = 0; x < mask.width; x++) {
      const c = gy * width + Math.floor(x * width / mask.width);
      count[c]++;
      if (mask.data[y * mask.width + x]) sum[c]++;
    }
  }
  return { data: sum.map((s, i) => s / count[i]), width, height };
}

/**
 * Summaries per class (e.g. the expression of each synthetic face), in first-seen class order.
 *
 * @example
 * ```ts
 * summarizeByClass(scores, samples.map((s) => classes[s.label]));
 * ```
 */
export function summarizeByClass(scores: AttentionScore[], labels: string[]): Record<string, AttentionSummary> {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores but ${labels.length} labels`);
  const groups = new Map<string, AttentionScore[]>();
  scores.forEach((s, i) => groups.set(labels[i], [...(groups.get(labels[i]) ?? []), s]));
  return Object.fromEntries([...groups].map(([k, v]) => [k, summarizeScores(v)]));
}

/** A Markdown table of named summaries (rows) — ratio 1.00 is what a uniform map gets. */
export function summariesMarkdown(rows: Record<string, AttentionSummary>, title = "map"): string {
  const lines = [
    `| ${title} | n | mass inside mask | mask area | ratio (mass / area) | share above uniform |`,
    "|---|---|---|---|---|---|",
  ];
  for (const [k, s] of Object.entries(rows)) {
    lines.push(
      `| ${k} | ${s.n} | ${(100 * s.meanMassInside).toFixed(1)}% | ${(100 * s.meanAreaFraction).toFixed(1)}% | ${
        s.meanRatio.toFixed(2)
      } | ${(100 * s.shareAboveUniform).toFixed(0)}% |`,
    );
  }
  return lines.join("\n") + "\n";
}
