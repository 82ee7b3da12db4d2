import assert from "node:assert/strict";
import { join } from "node:path";
import sharp from "sharp";
import { selectBackend } from "../backend/select.ts";
import { writeImage } from "../data/image.ts";
import { saveModel } from "../model/io.ts";
import { loadDetector } from "../photo/load_detector.ts";
import { seededModel, syntheticScene } from "../photo/testing.ts";
import { ferProcess } from "./testing.ts";

async function writeRgb(path: string, img: { width: number; height: number; data: Uint8Array }): Promise<void> {
  await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(path);
}

Deno.test("fer predict on a photo: one entry per face the detector finds, --output draws them; no face: [] and a reason", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-photo-" });
  try {
    const fm = seededModel();
    await saveModel({ ...fm, tta: "flip" }, join(dir, "model"));
    fm.model.dispose();
    const scene = await syntheticScene(2, 2), empty = await syntheticScene(4, 0, 0);
    await writeRgb(join(dir, "scene.png"), scene.image);
    await writeRgb(join(dir, "empty.png"), empty.image);
    await selectBackend("wasm", { quiet: true });
    const detector = await loadDetector();
    const boxes = await detector.detect(scene.image);
    detector.dispose();

    const out = join(dir, "annotated.png");
    const r = await ferProcess([
      "predict",
      "--model",
      join(dir, "model"),
      join(dir, "scene.png"),
      "--json",
      "--output",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const [row] = JSON.parse(r.out.trim().split("\n").at(-1)!);
    assert.equal(row.detected, true);
    assert.deepEqual(row.faces.map((f: { box: { x: number } }) => f.box.x), boxes.map((b) => b.x));
    for (const f of row.faces) {
      assert.equal(f.model, join(dir, "model"));
      assert.equal(Object.keys(f.probabilities).length, 7);
      assert.ok(f.score >= 0.5);
    }
    // the model's own test-time augmentation by default (fer-config.json's tta), --tta over it
    assert.equal(row.tta, "flip");
    const one = await ferProcess([
      "predict",
      "--model",
      join(dir, "model"),
      join(dir, "scene.png"),
      "--json",
      "--tta",
      "none",
    ]);
    const [plain] = JSON.parse(one.out.trim().split("\n").at(-1)!);
    assert.equal(plain.tta, "none");
    assert.deepEqual(plain.faces.map((f: { box: unknown }) => f.box), row.faces.map((f: { box: unknown }) => f.box));
    assert.notDeepEqual(plain.faces[0].probabilities, row.faces[0].probabilities, "one view is not the flip average");
    const meta = await sharp(out).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["png", scene.image.width, scene.image.height]);

    const e = await ferProcess(["predict", "--model", join(dir, "model"), join(dir, "empty.png"), "--json"]);
    assert.equal(e.code, 0, e.err);
    const [none] = JSON.parse(e.out.trim().split("\n").at(-1)!);
    assert.deepEqual(none.faces, []);
    assert.match(none.reason, /no face found by blazeface/);
    const t = await ferProcess(["predict", "--model", join(dir, "model"), join(dir, "empty.png")]);
    assert.match(t.out, /empty\.png: no face found by blazeface/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fer predict refuses a file that is not an image, a truncated one, and a too large header, before loading a model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fer-photo-" });
  try {
    await Deno.writeTextFile(join(dir, "notes.jpg"), "just text");
    await writeImage(join(dir, "face.jpg"), { width: 48, height: 48, data: new Uint8Array(48 * 48).fill(90) });
    const jpeg = await Deno.readFile(join(dir, "face.jpg"));
    await Deno.writeFile(join(dir, "cut.jpg"), jpeg.slice(0, jpeg.length >> 1));
    const png = new Uint8Array(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#777" } }).png().toBuffer(),
    );
    new DataView(png.buffer).setUint32(16, 9000);
    new DataView(png.buffer).setUint32(20, 9000);
    await Deno.writeFile(join(dir, "huge.png"), png);
    const missingModel = join(dir, "no-model");
    for (
      const [file, why] of [
        ["notes.jpg", /notes\.jpg: not an image/],
        ["cut.jpg", /cut\.jpg: corrupt or truncated JPEG/],
        ["huge.png", /huge\.png: the PNG header declares 9000x9000 = 81\.0 megapixels, more than the limit of 40/],
      ] as const
    ) {
      const r = await ferProcess(["predict", "--model", missingModel, join(dir, file)]);
      assert.equal(r.code, 1);
      assert.match(r.err, why);
      assert.doesNotMatch(r.err, /no-model/, "the picture is refused before the model is read");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
