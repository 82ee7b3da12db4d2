import assert from "node:assert/strict";
import { decodeImage, type GrayImage } from "../data/image.ts";
import { lbp, LBP_METHODS, lbpMaxCode, type LbpMethod, sampleOffsets } from "./lbp.ts";
import { datasetDir } from "../data/paths.ts";
import { needsDataset } from "../data/fixtures.ts";
import { samplePerClass } from "./realdata.ts";
import { hasSkimage, type SkimageConfig, skimageLbp } from "./skimage.ts";

function image(width: number, height: number, f: (r: number, c: number) => number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) data[r * width + c] = f(r, c);
  return { width, height, data };
}

Deno.test("original LBP: hand-worked 3x3 codes, bit order E NE N NW W SW S SE, zero outside", () => {
  const img = { width: 3, height: 3, data: new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 90]) };
  const { codes } = lbp(img, { method: "original" });
  // centre 50: E=60 (bit0), SW=70 (bit5), S=80 (bit6), SE=90 (bit7) are >= 50.
  assert.equal(codes[4], 1 + 32 + 64 + 128);
  // top-left 10: E=20 (bit0), S=40 (bit6), SE=50 (bit7); the 5 outside neighbours are 0 < 10.
  assert.equal(codes[0], 1 + 64 + 128);
  // bottom-right 90: every inside neighbour is smaller, outside ones are 0.
  assert.equal(codes[8], 0);
  // top-right 30: W=20 < 30, SW=50 (bit5), S=60 (bit6).
  assert.equal(codes[2], 32 + 64);
  // A zero centre sets the bits of outside neighbours too (0 >= 0).
  assert.equal(lbp({ width: 1, height: 1, data: new Uint8Array([0]) }, { method: "original" }).codes[0], 255);
  assert.equal(lbp({ width: 1, height: 1, data: new Uint8Array([7]) }, { method: "original" }).codes[0], 0);
});

Deno.test("original and circle(8,1) agree on the four axis samples, differ only at diagonals", () => {
  const img = image(20, 17, (r, c) => (r * 37 + c * 91 + r * c * 13) % 256);
  const a = lbp(img, { method: "original" }).codes;
  const b = lbp(img, { method: "circle", points: 8, radius: 1 }).codes;
  let diagonalDiffers = 0;
  for (let k = 0; k < a.length; k++) {
    assert.equal(a[k] & 0b01010101, b[k] & 0b01010101, `pixel ${k}`);
    if ((a[k] & 0b10101010) !== (b[k] & 0b10101010)) diagonalDiffers++;
  }
  assert.ok(diagonalDiffers > 0, "corner pixels and interpolated diagonals should disagree somewhere");
});

Deno.test("sample offsets follow scikit-image: east first, counter-clockwise, rounded to 5 decimals", () => {
  const { rows, cols } = sampleOffsets(8, 1);
  assert.ok(rows[0] === 0 && cols[0] === 1); // rows[0] is -0, as in scikit-image
  assert.deepEqual([rows[1], cols[1]], [-0.70711, 0.70711]);
  assert.deepEqual([rows[2], cols[2]], [-1, 0]);
  assert.deepEqual([rows[6], cols[6]], [1, 0]);
});

Deno.test("codes stay within lbpMaxCode for every method", () => {
  const img = image(31, 29, (r, c) => (r * 53 + c * 17 + ((r * c) % 7) * 40) % 256);
  for (const method of LBP_METHODS) {
    for (const points of method === "original" ? [8] : [8, 16]) {
      const max = lbpMaxCode({ method, points });
      const { codes } = lbp(img, { method, points, radius: method === "original" ? 1 : 2 });
      assert.ok(codes.every((v) => v <= max), `${method} P=${points} exceeds ${max}`);
    }
  }
  assert.equal(lbpMaxCode({ method: "riu2", points: 16 }), 17);
  assert.equal(lbpMaxCode({ method: "uniform", points: 8 }), 58);
});

Deno.test("bad input is rejected with a message naming the problem", () => {
  assert.throws(() => lbp({ width: 4, height: 4, data: new Uint8Array(15) }, { method: "circle" }), /16 bytes, got 15/);
  assert.throws(() => lbp(image(4, 4, () => 0), { method: "lbp" as LbpMethod }), /unknown LBP method "lbp"/);
  assert.throws(() => lbp(image(4, 4, () => 0), { method: "circle", points: 17 }), /1\.\.16, got 17/);
  assert.throws(() => lbp(image(4, 4, () => 0), { method: "original", points: 16 }), /fixed 3x3/);
});

/** Edge cases: flat images, a single bright pixel, ramps in every direction, tiny images, noise. */
function edgeCases(): { name: string; img: GrayImage }[] {
  let seed = 12345;
  const noise = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
  return [
    { name: "flat128", img: image(48, 48, () => 128) },
    { name: "flat0", img: image(12, 10, () => 0) },
    { name: "flat255", img: image(10, 12, () => 255) },
    { name: "bright pixel", img: image(11, 13, (r, c) => (r === 6 && c === 5 ? 255 : 0)) },
    { name: "bright corner", img: image(9, 9, (r, c) => (r === 0 && c === 0 ? 200 : 3)) },
    { name: "ramp x", img: image(48, 48, (_r, c) => c * 5) },
    { name: "ramp y", img: image(48, 48, (r) => 255 - r * 5) },
    { name: "ramp diagonal", img: image(40, 30, (r, c) => (r + c) * 3) },
    { name: "checker", img: image(16, 16, (r, c) => ((r + c) % 2) * 255) },
    { name: "1x1", img: image(1, 1, () => 77) },
    { name: "3x2", img: image(3, 2, (r, c) => r * 3 + c) },
    { name: "noise", img: image(23, 19, noise) },
  ];
}

const CONFIGS: SkimageConfig[] = [];
for (const method of ["circle", "uniform", "riu2", "ror"] as const) {
  for (const points of [8, 16]) for (const radius of [1, 2, 3]) CONFIGS.push({ method, points, radius });
}

async function compareWithSkimage(cases: { name: string; img: GrayImage }[]): Promise<void> {
  const golden = await skimageLbp(cases.map((c) => c.img), CONFIGS);
  CONFIGS.forEach((cfg, k) => {
    cases.forEach(({ name, img }, j) => {
      const ours = lbp(img, cfg).codes;
      const theirs = golden[k][j];
      for (let p = 0; p < ours.length; p++) {
        if (ours[p] !== theirs[p]) {
          const at = `row ${Math.floor(p / img.width)} col ${p % img.width}`;
          assert.fail(
            `${cfg.method} P=${cfg.points} R=${cfg.radius} on ${name}: ${at} ours ${ours[p]} skimage ${theirs[p]}`,
          );
        }
      }
    });
  });
}

const skimage = await hasSkimage();

Deno.test({
  name: "circle/uniform/riu2/ror equal scikit-image on edge cases, P in {8,16}, R in {1,2,3}",
  ignore: !skimage,
  fn: () => compareWithSkimage(edgeCases()),
});

const realFaces = needsDataset(
  "fer2013/PublicTest",
  "circle/uniform/riu2/ror equal scikit-image on real FER2013 faces, P in {8,16}, R in {1,2,3}",
);
Deno.test({
  name: realFaces.name,
  ignore: !skimage || realFaces.ignore,
  fn: async (t) => {
    const dir = datasetDir("fer2013/PublicTest")!;
    const files = samplePerClass(dir, 3);
    assert.ok(files.length >= 7, `expected FER2013 PublicTest class folders under ${dir}`);
    const cases = await Promise.all(files.map(async (f) => ({ name: f, img: await decodeImage(f) })));
    await t.step(`${cases.length} images`, () => compareWithSkimage(cases));
  },
});

if (!skimage) console.warn("SKIPPED scikit-image golden tests: /usr/bin/python3 cannot import skimage");
