import assert from "node:assert/strict";
import { Rng } from "../util/rng.ts";
import {
  type Affine,
  affineFromParams,
  applyAffine,
  IDENTITY,
  PAPER_AUGMENT,
  randomTransform,
  randomTransformParams,
  sourcePoint,
  targetPoint,
  type TransformParams,
} from "./augment.ts";
import { enlarge } from "./enlarge.ts";
import { decodeImage, type GrayImage } from "../data/image.ts";
import { datasetDir, missingDataset } from "../data/paths.ts";
import { samplePerClass } from "./realdata.ts";
import { hasSkimage, packImages, SYSTEM_PYTHON } from "./skimage.ts";

function image(width: number, height: number, f: (r: number, c: number) => number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) data[r * width + c] = f(r, c);
  return { width, height, data };
}

const NONE: TransformParams = {
  theta: 0,
  tx: 0,
  ty: 0,
  shear: 0,
  zx: 1,
  zy: 1,
  flipHorizontal: false,
  flipVertical: false,
};
const noise = image(20, 16, (r, c) => (r * 131 + c * 71 + r * c * 7) % 256);

Deno.test("identity parameters give the identity matrix and the identical image", () => {
  const zero = {
    ...PAPER_AUGMENT,
    rotationRange: 0,
    widthShiftRange: 0,
    heightShiftRange: 0,
    shearRange: 0,
    zoomRange: 0,
    horizontalFlip: false,
  };
  const m = randomTransform(new Rng(1), zero, noise);
  assert.deepEqual(m, IDENTITY);
  assert.deepEqual(applyAffine(noise, m), noise);
  assert.deepEqual(applyAffine(noise, m, { interpolation: "nearest", fill: "constant" }), noise);
});

Deno.test("horizontal flip mirrors columns exactly", () => {
  const m = affineFromParams({ ...NONE, flipHorizontal: true }, noise);
  const out = applyAffine(noise, m);
  for (let r = 0; r < noise.height; r++) {
    for (let c = 0; c < noise.width; c++) assert.equal(out.data[r * 20 + c], noise.data[r * 20 + (19 - c)]);
  }
});

Deno.test("a known point moves where the matrix says: 90 degree rotation and a shift", () => {
  const size = { width: 9, height: 9 };
  // Keras rotates about (h/2 + 0.5, w/2 + 0.5) = (5, 5) in (row, col) for a 9x9 image, reading
  // input (row, col) = C + R(θ)·(output − C); at 90°, output (row 5, col 7) reads input (row 3, col 5).
  const rot = affineFromParams({ ...NONE, theta: 90 }, size);
  const p = sourcePoint(rot, { x: 7, y: 5 });
  assert.ok(Math.abs(p.x - 5) < 1e-12 && Math.abs(p.y - 3) < 1e-12, JSON.stringify(p));
  // A single bright pixel at input (x=5, y=3) must appear at output (x=7, y=5) and nowhere else.
  const dot = image(9, 9, (r, c) => (r === 3 && c === 5 ? 200 : 0));
  const out = applyAffine(dot, rot, { fill: "constant" });
  const q = targetPoint(rot, { x: 5, y: 3 });
  assert.ok(Math.abs(q.x - 7) < 1e-12 && Math.abs(q.y - 5) < 1e-12, JSON.stringify(q));
  assert.equal(out.data[5 * 9 + 7], 200);
  assert.equal(out.data.reduce((s, v) => s + v, 0), 200, "the dot lands on exactly one pixel");
  // A shift of tx=+2 rows, ty=-3 columns: output (x, y) reads input (x - 3, y + 2).
  const shift = affineFromParams({ ...NONE, tx: 2, ty: -3 }, size);
  assert.deepEqual(sourcePoint(shift, { x: 4, y: 1 }), { x: 1, y: 3 });
});

Deno.test("same seed, same transforms and images; another seed differs", () => {
  const draw = (seed: number) => {
    const rng = new Rng(seed);
    const affines = [noise, noise, noise].map((img) => randomTransform(rng, PAPER_AUGMENT, img));
    return { affines, images: affines.map((m) => applyAffine(noise, m)) };
  };
  const a = draw(11), b = draw(11), c = draw(12);
  assert.deepEqual(a.affines, b.affines);
  assert.deepEqual(a.images, b.images);
  assert.notDeepEqual(a.affines, c.affines);
  assert.notDeepEqual(a.affines[0], a.affines[1], "each image draws its own matrix");
});

Deno.test("drawn parameters stay inside the Keras ranges; both flip outcomes occur", () => {
  const rng = new Rng(5);
  let flips = 0;
  for (let k = 0; k < 400; k++) {
    const t = randomTransformParams(rng, PAPER_AUGMENT, { width: 48, height: 40 });
    assert.ok(Math.abs(t.theta) <= 20 && Math.abs(t.shear) <= 0.15);
    assert.ok(Math.abs(t.tx) <= 0.15 * 40 && Math.abs(t.ty) <= 0.15 * 48);
    assert.ok(t.zx >= 0.85 && t.zx <= 1.15 && t.zy >= 0.85 && t.zy <= 1.15);
    flips += t.flipHorizontal ? 1 : 0;
  }
  assert.ok(flips > 150 && flips < 250, `flips ${flips}/400`);
});

Deno.test("masks follow their image with the same matrix (nearest interpolation keeps labels)", () => {
  const face = image(24, 24, (r, c) => (r >= 8 && r < 16 && c >= 6 && c < 12 ? 250 : 10));
  const mask = image(24, 24, (r, c) => (r >= 8 && r < 16 && c >= 6 && c < 12 ? 1 : 0));
  const m = randomTransform(new Rng(3), PAPER_AUGMENT, face);
  const images = [applyAffine(face, m)];
  const warpedMask = applyAffine(mask, m, { interpolation: "nearest" });
  assert.ok(warpedMask.data.every((v) => v === 0 || v === 1), "nearest keeps label values");
  let agree = 0;
  warpedMask.data.forEach((v, k) => (agree += (v === 1) === (images[0].data[k] > 130) ? 1 : 0));
  assert.ok(agree >= 0.97 * 24 * 24, `mask and image agree on ${agree}/576 pixels`);
});

Deno.test("enlarge keeps the originals, reaches the target, cycles sources, is seeded", () => {
  const set = [noise, image(20, 16, () => 40), image(20, 16, (r) => r * 10)];
  const big = enlarge(set, 11, 9);
  assert.equal(big.images.length, 11);
  assert.deepEqual(big.source, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]);
  assert.deepEqual(big.images.slice(0, 3), set);
  assert.deepEqual(enlarge(set, 11, 9).images, big.images);
  assert.notDeepEqual(enlarge(set, 11, 10).images, big.images);
  assert.throws(() => enlarge(set, 2, 1), /target 2 must be an integer >= the 3 originals/);
});

Deno.test({
  name: "warps equal keras-preprocessing's apply_affine_transform (scipy, order=1) on FER2013 faces",
  ignore: !(await hasSkimage()),
  fn: async () => {
    const faces = datasetDir("fer2013/PublicTest");
    let images: GrayImage[];
    if (faces) {
      images = await Promise.all(samplePerClass(faces, 1).map((f) => decodeImage(f)));
    } else {
      console.warn(`real FER2013 faces SKIPPED (${missingDataset("fer2013/PublicTest")}); using a synthetic image`);
      images = [noise];
    }
    const rng = new Rng(2024);
    const jobs: (TransformParams & { image: number; fill: "nearest" | "constant" })[] = [];
    images.forEach((img, k) => {
      for (let rep = 0; rep < 4; rep++) {
        // Wider ranges than the paper's, to exercise shear and the fill rule too.
        const wide = { ...PAPER_AUGMENT, rotationRange: 40, shearRange: 20, zoomRange: 0.3 };
        jobs.push({ ...randomTransformParams(rng, wide, img), image: k, fill: rep % 2 ? "constant" : "nearest" });
      }
    });
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeFile(`${dir}/p`, packImages(images));
      await Deno.writeTextFile(
        `${dir}/j`,
        JSON.stringify(
          jobs.map((j) => ({
            ...j,
            flip_horizontal: j.flipHorizontal,
            flip_vertical: j.flipVertical,
            fill_mode: j.fill,
          })),
        ),
      );
      const script = new URL("../../bench/keras_affine.py", import.meta.url).pathname;
      const res = await new Deno.Command(SYSTEM_PYTHON, { args: [script, `${dir}/p`, `${dir}/j`, `${dir}/o`] })
        .output();
      assert.ok(res.success, new TextDecoder().decode(res.stderr));
      const bytes = await Deno.readFile(`${dir}/o`);
      const ref = new Float64Array(bytes.buffer, 0, bytes.byteLength / 8);
      let pos = 0;
      for (const job of jobs) {
        const img = images[job.image];
        const m: Affine = affineFromParams(job, img);
        const ours = applyAffine(img, m, { fill: job.fill });
        for (let k = 0; k < img.data.length; k++, pos++) {
          const diff = Math.abs(ours.data[k] - ref[pos]);
          assert.ok(
            diff <= 0.5 + 1e-6,
            `job ${JSON.stringify(job)} pixel ${k}: ours ${ours.data[k]} keras ${ref[pos]}`,
          );
        }
      }
      assert.equal(pos, ref.length);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
