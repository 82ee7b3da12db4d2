/**
 * The page of web/ in headless Chromium (Debian's), served by web/serve.ts as `deno task serve` serves it: a
 * generated scene of synthetic faces uploaded on WebGL (SwiftShader) and on WASM finds the faces `fer predict`
 * finds, at the same boxes, with the same probabilities within 1e-3; a fake webcam (a .y4m of the scene) gets a
 * label; the page names the model, its detector threshold (`--min-score`) drops the faces scoring below
 * it, and its second-look threshold (`--second-look`) drops the faces that do not look like one again. The model is the shipped one, models/fer2013/ (float16 weights, widened in the browser as in Deno). With FER_RECORD=1 the ms per face of both backends go to results/photo/web-ms-per-face.json.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import sharp from "sharp";
import { FER2013_EMOTIONS } from "../lib/data/mod.ts";
import { machineInfo } from "../lib/experiment/mod.ts";
import { loadModel, shippedModelDir } from "../lib/model/mod.ts";
import { CHROMIUM, Chromium } from "../tools/chromium.ts";
import {
  PAGE_SCENE_SEED,
  type PageFace,
  pageScene,
  type PageState,
  uploadPicture,
  WEBGL_FLAGS,
  y4m,
} from "../tools/web_page.ts";
import { startServer } from "../web/serve.ts";

const noChromium = await Deno.stat(CHROMIUM).then(() => false, () => true);

Deno.test({
  name:
    "the page finds fer predict's faces on WebGL and WASM with its probabilities within 1e-3; a fake webcam gets a label",
  ignore: noChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "fer-web-" });
    const machine = machineInfo({ threads: null });
    try {
      const shippedDir = shippedModelDir("fer2013");
      const img = await pageScene(PAGE_SCENE_SEED);
      const png = join(dir, "scene.png");
      await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(png);
      await Deno.writeFile(join(dir, "scene.y4m"), y4m(img));

      const cli = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "lib/cli/main.ts", "predict", "--model", "fer2013", png, "--json"],
        cwd: new URL("..", import.meta.url).pathname,
        env: { FER_PROGRESS: "silent" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(cli.code, 0, new TextDecoder().decode(cli.stderr));
      const row = JSON.parse(new TextDecoder().decode(cli.stdout).trim().split("\n").at(-1)!)[0];
      const want: PageFace[] = row.faces;
      const shipped = await loadModel(shippedDir);
      assert.equal(row.tta, shipped.tta ?? "none", "fer predict averages the model's own views by default");
      shipped.model.dispose();
      assert.ok(want.length >= 2, `fer predict found ${want.length} faces in the scene`);
      assert.ok(want.every((f) => f.score !== null), "fer predict ran its detector on the scene");

      const server = await startServer({ model: shippedDir, port: 0 });
      const ms: Record<string, number> = {};
      try {
        for (const backend of ["webgl", "wasm"]) {
          const browser = await Chromium.launch({ args: WEBGL_FLAGS });
          try {
            const page = await browser.newPage();
            const got = await uploadPicture(page, `${server.url}${backend === "wasm" ? "?backend=wasm" : ""}`, png);
            assert.equal(got.error, undefined, got.error);
            assert.equal(got.backend, backend);
            assert.equal(await page.evaluate<string>("document.getElementById('backend').textContent"), backend);
            assert.equal(await page.evaluate<string>("document.getElementById('model').textContent"), "fer2013");
            assert.equal(got.tta, row.tta, "the page averages the same views as fer predict");
            assert.equal(
              got.faces.length,
              want.length,
              `${backend}: ${got.faces.length} faces, fer predict ${want.length}`,
            );
            got.faces.forEach((f, i) => {
              const w = want[i], what = `${backend} face ${i}`;
              for (const k of ["x", "y", "width", "height"] as const) {
                assert.ok(Math.abs(f.box[k] - w.box[k]) < 0.5, `${what}: box ${k} ${f.box[k]} vs ${w.box[k]}`);
              }
              for (const l of FER2013_EMOTIONS) {
                assert.ok(
                  Math.abs(f.probabilities[l] - w.probabilities[l]) < 1e-3,
                  `${what}: p(${l}) ${f.probabilities[l]} vs ${w.probabilities[l]}`,
                );
              }
              assert.equal(f.label, w.label, what);
            });
            const bars = await page.evaluate<number>("document.querySelectorAll('#faces .bar').length");
            assert.equal(bars, 7 * want.length, "a bar per class per face");
            ms[backend] = got.msPerFace!;
            if (backend === "wasm") {
              // the page's detector threshold (fer predict's --min-score): above the weakest face, that face goes
              const weakest = Math.min(...want.map((f) => f.score!)), t = Math.min(1, weakest + 0.01);
              await page.evaluate(
                `(() => { const e = document.getElementById('min-score'); e.value = '${t}'; ` +
                  `e.dispatchEvent(new Event('change')); })()`,
              );
              await page.waitFor(
                `ferPage.runs > ${got.runs} || ferPage.error`,
                180,
                "the result at a higher threshold",
              );
              const higher = await page.evaluate<PageState>("ferPage");
              assert.equal(higher.error, undefined, higher.error);
              const kept = want.filter((f) => f.score! >= t);
              assert.equal(higher.faces.length, kept.length, `the faces scoring ≥ ${t}`);
              higher.faces.forEach((f, i) => assert.ok(Math.abs(f.box.x - kept[i].box.x) < 0.5, `face ${i} at ${t}`));
              // the page's second look (fer predict's --second-look): at 0.95 no face of this scene stays (fer
              // predict keeps none at 0.9); back at the first look's default and no second look, every face again
              let runs = higher.runs;
              for (
                const [inputs, n] of [[{ "second-look": 0.95 }, 0], [
                  { "min-score": 0.5, "second-look": 0 },
                  want.length,
                ]] as const
              ) {
                for (const [id, v] of Object.entries(inputs)) {
                  await page.evaluate(
                    `(() => { const e = document.getElementById('${id}'); e.value = '${v}'; ` +
                      `e.dispatchEvent(new Event('change')); })()`,
                  );
                  await page.waitFor(`ferPage.runs > ${runs} || ferPage.error`, 180, `the result at ${id} ${v}`);
                  runs = (await page.evaluate<PageState>("ferPage")).runs;
                }
                const looked = await page.evaluate<PageState>("ferPage");
                assert.equal(looked.error, undefined, looked.error);
                assert.equal(looked.faces.length, n, `faces at ${JSON.stringify(inputs)}`);
              }
            }
            assert.deepEqual(page.errors, []);
          } finally {
            await browser.close();
          }
        }
        const cam = await Chromium.launch({
          args: [
            ...WEBGL_FLAGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            `--use-file-for-fake-video-capture=${join(dir, "scene.y4m")}`,
          ],
        });
        try {
          const page = await cam.newPage();
          await page.goto(server.url, {
            ready: "globalThis.ferPage && (ferPage.ready || ferPage.error)",
            timeoutS: 180,
          });
          await page.evaluate("document.getElementById('camera').click()");
          await page.waitFor(
            "(ferPage.source === 'webcam' && ferPage.faces.length > 0) || ferPage.error",
            180,
            "a webcam label",
          );
          const got = await page.evaluate<PageState>("ferPage");
          assert.equal(got.error, undefined, got.error);
          assert.ok(FER2013_EMOTIONS.includes(got.faces[0].label as never), got.faces[0].label);
        } finally {
          await cam.close();
        }
      } finally {
        await server.close();
      }
      if (Deno.env.get("FER_RECORD")) {
        const out = new URL("../results/photo/web-ms-per-face.json", import.meta.url).pathname;
        const record = {
          what:
            "ms per face of the page (detection + crop + model, second run) in headless Chromium, tests/web_browser_test.ts",
          createdAt: new Date().toISOString(),
          chromium: CHROMIUM,
          webgl: "SwiftShader (software WebGL: this machine has no GPU)",
          model: "fer2013 (shipped, models/fer2013/MODEL_CARD.md)",
          faces: want.length,
          msPerFace: ms,
          machine: { ...machine, loadEnd: Deno.loadavg()[0], note: "shared CPU: other work ran beside this test" },
        };
        await Deno.mkdir(new URL("../results/photo/", import.meta.url), { recursive: true });
        await Deno.writeTextFile(out, JSON.stringify(record, null, 2) + "\n");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
