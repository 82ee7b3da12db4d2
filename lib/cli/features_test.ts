import assert from "node:assert/strict";
import { main } from "./main.ts";
import { decodeImage } from "../data/image.ts";
import { writeGrayPng } from "../features/gray.ts";
import { captureLog } from "./testing.ts";

const capture = (args: string[]) => captureLog(() => main(args));

Deno.test("fer lbp --json prints row-major codes of the decoded picture (hand-worked 3x3)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const png = `${dir}/tiny.png`;
    await writeGrayPng(png, { width: 3, height: 3, data: new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 90]) });
    const { code, out } = await capture(["lbp", "--method", "original", "--input", png, "--json"]);
    assert.equal(code, 0);
    const parsed = JSON.parse(out.split("\n")[0]);
    assert.equal(parsed.width, 3);
    assert.equal(parsed.height, 3);
    // Worked by hand (bit order E NE N NW W SW S SE, outside = 0): row 0 = 193 225 96, row 1 starts 193 225.
    assert.deepEqual(parsed.codes.slice(0, 5), [193, 225, 96, 193, 225]);
    const { code: pngCode } = await capture(["lbp", "--method", "riu2", "--input", png, "--output", `${dir}/l.png`]);
    assert.equal(pngCode, 0);
    const lbpPng = await decodeImage(`${dir}/l.png`);
    assert.equal(lbpPng.data.length, 9);
    assert.equal(
      await capture(["lbp", "--method", "circle", "--input", `${dir}/missing.png`, "--json"]).then((r) => r.code),
      1,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fer augment writes n seeded pictures of the input size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = new Uint8Array(32 * 24);
    data.forEach((_, k) => (data[k] = (k * 37) % 256));
    await writeGrayPng(`${dir}/face.png`, { width: 32, height: 24, data });
    const run = (out: string, seed: string) =>
      capture(["augment", "--input", `${dir}/face.png`, "--n", "3", "--seed", seed, "--output", out]);
    assert.equal((await run(`${dir}/a`, "5")).code, 0);
    assert.equal((await run(`${dir}/b`, "5")).code, 0);
    assert.equal((await run(`${dir}/c`, "6")).code, 0);
    for (let k = 0; k < 3; k++) {
      const a = await decodeImage(`${dir}/a/face_aug${k}.png`);
      assert.deepEqual([a.width, a.height], [32, 24]);
      assert.deepEqual(a, await decodeImage(`${dir}/b/face_aug${k}.png`));
      assert.notDeepEqual(a.data, data);
      assert.notDeepEqual(a, await decodeImage(`${dir}/c/face_aug${k}.png`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
