import assert from "node:assert/strict";
import {
  attentionScore,
  baselineScores,
  gaussianMap,
  maskGridMap,
  meanOverChannels,
  scoreFmBatch,
  summariesMarkdown,
  summarizeByClass,
  summarizeScores,
  upsampleBilinear,
} from "./attention_score.ts";

/** 8×8 mask with the bottom-left 4×4 quadrant inside (a "mouth" region). */
function quadrantMask() {
  const data = new Uint8Array(64);
  for (let y = 4; y < 8; y++) for (let x = 0; x < 4; x++) data[y * 8 + x] = 255;
  return { width: 8, height: 8, data };
}

Deno.test("a uniform map scores exactly the mask's area fraction (ratio 1)", () => {
  const s = attentionScore({ data: new Float32Array(16).fill(0.7), width: 4, height: 4 }, quadrantMask());
  assert.ok(Math.abs(s.areaFraction - 0.25) < 1e-12);
  assert.ok(Math.abs(s.massInside - 0.25) < 1e-6);
  assert.ok(Math.abs(s.ratio - 1) < 1e-5);
});

Deno.test("a low-resolution map focused on the region is upsampled and scores above uniform", () => {
  // 2×2 map: all mass in the bottom-left cell → after upsampling most mass lies in that quadrant
  const s = attentionScore({ data: new Float32Array([0, 0, 1, 0]), width: 2, height: 2 }, quadrantMask());
  // per axis the source cell's weights over the 8 pixels are 1,1,.875,.625,.375,.125,0,0 (sum 4), of which
  // 3.5 fall in the quadrant's half: massInside = (3.5/4)² = 0.765625, ratio = 0.765625 / 0.25
  assert.ok(Math.abs(s.massInside - 0.765625) < 1e-6, `massInside ${s.massInside}`);
  assert.ok(Math.abs(s.ratio - 3.0625) < 1e-5);
  // the same map at full resolution, exactly on the mask: all mass inside, ratio 1/area = 4
  const exact = new Float32Array(64);
  quadrantMask().data.forEach((v, i) => exact[i] = v ? 1 : 0);
  assert.equal(attentionScore({ data: exact, width: 8, height: 8 }, quadrantMask()).ratio, 4);
  // focused on the wrong corner: below uniform
  const wrong = attentionScore({ data: new Float32Array([0, 1, 0, 0]), width: 2, height: 2 }, quadrantMask());
  assert.ok(wrong.ratio < 1);
});

Deno.test("upsampling follows half-pixel bilinear and channel averaging is per pixel", () => {
  const up = upsampleBilinear({ data: new Float32Array([0, 1]), width: 2, height: 1 }, 4, 1);
  assert.deepEqual([...up], [0, 0.25, 0.75, 1]);
  const m = meanOverChannels(new Float32Array([1, 3, 0, 2]), 2, 1, 2);
  assert.deepEqual([...m.data], [2, 1]);
});

Deno.test("summaries and bad input", () => {
  const sum = summarizeScores([
    { massInside: 0.5, areaFraction: 0.25, ratio: 2 },
    { massInside: 0.2, areaFraction: 0.25, ratio: 0.8 },
  ]);
  assert.equal(sum.meanRatio, 1.4);
  assert.equal(sum.shareAboveUniform, 0.5);
  assert.throws(
    () => attentionScore({ data: new Float32Array(3), width: 2, height: 2 }, quadrantMask()),
    /expected 2×2 = 4 values, got 3/,
  );
  assert.throws(
    () =>
      attentionScore({ data: new Float32Array(4).fill(1), width: 2, height: 2 }, {
        width: 8,
        height: 8,
        data: new Uint8Array(64),
      }),
    /mask is empty/,
  );
  assert.throws(
    () => attentionScore({ data: new Float32Array([1, -1, 1, 1]), width: 2, height: 2 }, quadrantMask()),
    /negative/,
  );
  assert.throws(() => summarizeScores([]), /no attention scores/);
});

Deno.test("a centred Gaussian favours a centred mask over a corner mask", () => {
  const g = gaussianMap(8, 8, 0.2);
  assert.ok(Math.abs(g.data[3 * 8 + 3] - g.data[4 * 8 + 4]) < 1e-6); // symmetric about the centre
  const centre = new Uint8Array(64);
  for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) centre[y * 8 + x] = 1;
  assert.ok(attentionScore(g, { width: 8, height: 8, data: centre }).ratio > 2);
  const corner = new Uint8Array(64);
  corner[0] =
    corner[1] =
    corner[8] =
    corner[9] =
      1;
  assert.ok(attentionScore(g, { width: 8, height: 8, data: corner }).ratio < 0.2);
  assert.throws(() => gaussianMap(4, 4, 0), /sigmaFraction/);
});

Deno.test("scoreFmBatch averages channels per image and pairs each map with its mask", () => {
  // two 2×2×2 maps: image 0 puts all mass bottom-left (both channels), image 1 is uniform
  const data = new Float32Array([0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  const s = scoreFmBatch({ data, shape: [2, 2, 2, 2] }, [quadrantMask(), quadrantMask()]);
  assert.ok(Math.abs(s[0].ratio - 3.0625) < 1e-5);
  assert.ok(Math.abs(s[1].ratio - 1) < 1e-5);
  assert.throws(() => scoreFmBatch({ data, shape: [2, 2, 2, 2] }, [quadrantMask()]), /2 maps but 1 masks/);
  const b = baselineScores([quadrantMask()]);
  assert.ok(Math.abs(b.uniform.meanRatio - 1) < 1e-9);
  // the Gaussian is symmetric about the centre, so each quadrant holds exactly a quarter of its mass
  assert.ok(Math.abs(b.centre.meanRatio - 1) < 1e-5);
});

Deno.test("per-class summaries and their Markdown", () => {
  const a = { massInside: 0.5, areaFraction: 0.25, ratio: 2 }, b = { massInside: 0.25, areaFraction: 0.25, ratio: 1 };
  const by = summarizeByClass([a, b, a], ["happy", "sad", "happy"]);
  assert.deepEqual(Object.keys(by), ["happy", "sad"]);
  assert.equal(by.happy.n, 2);
  assert.equal(by.sad.meanRatio, 1);
  assert.equal(by.sad.shareAboveUniform, 0);
  assert.match(summariesMarkdown(by, "class"), /\| happy \| 2 \| 50\.0% \| 25\.0% \| 2\.00 \| 100% \|/);
  assert.throws(() => summarizeByClass([a], []), /1 scores but 0 labels/);
});

Deno.test("the mask at a coarse grid holds each cell's mask share and scores far above uniform, below the mask itself", () => {
  const mask = { width: 8, height: 8, data: new Uint8Array(64) };
  for (let y = 0; y < 4; y++) for (let x = 0; x < 2; x++) mask.data[y * 8 + x] = 255; // left half of the top-left cell
  const g = maskGridMap(mask, 2, 2);
  assert.deepEqual(Array.from(g.data), [0.5, 0, 0, 0]);
  const r = attentionScore(g, mask).ratio;
  assert.ok(r > 1.5 && r < 1 / (8 / 64), `ratio ${r}`);
  assert.throws(() => maskGridMap(mask, 0, 2), /grid must be positive integers/);
});
