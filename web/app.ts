/// <reference lib="dom" />
/**
 * The page's script (bundled by web/serve.ts): loads the FER model and BlazeFace with tfjs on WebGL (WASM when
 * WebGL is missing, or `?backend=wasm`), then finds and classifies the faces of an uploaded picture or of the
 * webcam with lib/photo's own code (the same detector, crop, LBP and model as `fer predict`). Pictures never leave
 * the browser. The last result is kept in `globalThis.ferPage` for tests.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-webgl";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { loadLayersModel } from "@tensorflow/tfjs-layers";
import { loadGraphModel } from "@tensorflow/tfjs-converter";
import type { RgbImage } from "../lib/data/image.ts";
import "../lib/model/atrous.ts";
import { attentionModelOf, type FerModel } from "../lib/model/build.ts";
import { validateConfig } from "../lib/model/config.ts";
import { configTta } from "../lib/model/tta.ts";
import { squareWindow } from "../lib/photo/box.ts";
import { blazeFace, DETECTOR_DEFAULTS, type FaceDetector } from "../lib/photo/blazeface.ts";
import { CROP_MARGIN, detectAndClassify, type FaceResult } from "../lib/photo/classify.ts";
import { blendHeat } from "../lib/photo/heat.ts";
import type { PageState } from "./page_state.ts";

const state: PageState = { backend: "", ready: false, source: "", faces: [], msPerFace: null, runs: 0 };
(globalThis as unknown as { ferPage: PageState }).ferPage = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function pickBackend(): Promise<string> {
  setWasmPaths("/wasm/");
  const want = new URLSearchParams(location.search).get("backend");
  for (const name of want === "wasm" ? ["wasm"] : ["webgl", "wasm"]) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch { /* try the next backend */ }
  }
  throw new Error("neither WebGL nor WASM could start in this browser");
}

async function loadFer(): Promise<{ fm: FerModel; name: string }> {
  const file = await (await fetch("/model/fer-config.json")).json();
  const config = validateConfig(file.config);
  const tta = configTta(file.tta, "/model/fer-config.json");
  const model = await loadLayersModel("/model/model.json");
  const fm: FerModel = { config, model, attention: attentionModelOf(model), labels: file.labels, tta };
  return { fm, name: file.name ?? "model" };
}

/** RGB bytes of what a canvas shows. */
function rgbOf(ctx: CanvasRenderingContext2D, width: number, height: number): RgbImage {
  const rgba = ctx.getImageData(0, 0, width, height).data, data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgba.subarray(4 * i, 4 * i + 3), 3 * i);
  return { width, height, data };
}

function draw(ctx: CanvasRenderingContext2D, base: ImageData, faces: FaceResult[], heat: boolean): void {
  const pixels = new ImageData(new Uint8ClampedArray(base.data), base.width, base.height);
  if (heat) {
    for (const f of faces) {
      if (f.heatmap) blendHeat(pixels.data, base.width, base.height, f.heatmap, squareWindow(f.box, CROP_MARGIN));
    }
  }
  ctx.putImageData(pixels, 0, 0);
  const px = Math.max(12, Math.round(Math.max(base.width, base.height) / 60));
  ctx.font = `bold ${px}px sans-serif`;
  ctx.lineWidth = Math.max(2, px / 6);
  for (const f of faces) {
    ctx.strokeStyle = "#00e000";
    ctx.strokeRect(f.box.x, f.box.y, f.box.width, f.box.height);
    ctx.fillStyle = "#00e000";
    ctx.fillText(`${f.label} ${(f.probabilities[f.label] * 100).toFixed(0)}%`, f.box.x, Math.max(px, f.box.y - 4));
  }
}

function bars(faces: FaceResult[]): void {
  const list = $("faces");
  list.replaceChildren();
  faces.forEach((f, i) => {
    const item = document.createElement("div");
    item.className = "face";
    const title = document.createElement("h3");
    title.textContent = `face ${i + 1}: ${f.label}` + (f.score === null ? "" : ` (detector ${f.score.toFixed(2)})`);
    item.append(title);
    for (const [label, p] of Object.entries(f.probabilities)) {
      const row = document.createElement("div");
      row.className = "bar";
      row.innerHTML =
        `<span class="name"></span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
      (row.querySelector(".name") as HTMLElement).textContent = label;
      (row.querySelector(".fill") as HTMLElement).style.width = `${(p * 100).toFixed(1)}%`;
      (row.querySelector(".value") as HTMLElement).textContent = `${(p * 100).toFixed(1)}%`;
      item.append(row);
    }
    list.append(item);
  });
}

async function main(): Promise<void> {
  state.backend = await pickBackend();
  $("backend").textContent = state.backend;
  const [{ fm, name }, blazeModel] = await Promise.all([loadFer(), loadGraphModel("/detector/blazeface.json")]);
  // the detector's thresholds, as `fer predict --min-score` and `--second-look` (higher ones drop false boxes,
  // and small faces; a second look of 0 keeps every box of the first)
  const minScoreInput = $<HTMLInputElement>("min-score"), secondLookInput = $<HTMLInputElement>("second-look");
  minScoreInput.value = String(DETECTOR_DEFAULTS.minScore);
  secondLookInput.value = String(DETECTOR_DEFAULTS.secondLook);
  let detector: FaceDetector = blazeFace(blazeModel);
  $("model").textContent = name;
  state.tta = fm.tta ?? "none";
  $("tta").textContent = state.tta === "tencrop" ? "ten-crop" : state.tta === "flip" ? "2 (flip)" : "1";
  const canvas = $<HTMLCanvasElement>("photo"), ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  let last: { base: ImageData; faces: FaceResult[]; source: ImageBitmap | null; what: string } | null = null;
  let busy = false;

  const run = async (source: CanvasImageSource, width: number, height: number, what: string) => {
    if (busy) return;
    busy = true;
    try {
      canvas.width = width;
      canvas.height = height;
      ctx.drawImage(source, 0, 0, width, height);
      const base = ctx.getImageData(0, 0, width, height);
      const t0 = performance.now();
      const res = await detectAndClassify(rgbOf(ctx, width, height), fm, {
        detector,
        modelName: name,
        heatmap: true,
        tta: state.tta,
      });
      const ms = performance.now() - t0;
      last = { base, faces: res.faces, source: source instanceof ImageBitmap ? source : null, what };
      draw(ctx, base, res.faces, $<HTMLInputElement>("heat").checked);
      bars(res.faces);
      Object.assign(state, {
        source: what,
        faces: res.faces.map(({ heatmap: _, ...f }) => f),
        reason: res.reason,
        msPerFace: res.faces.length ? ms / res.faces.length : null,
        runs: state.runs + 1,
      });
      $("status").textContent = res.faces.length
        ? `${res.faces.length} face(s), ${(ms / res.faces.length).toFixed(0)} ms per face on ${state.backend}`
        : res.reason ?? "no face";
    } catch (err) {
      state.error = String(err);
      $("status").textContent = `error: ${err}`;
    } finally {
      busy = false;
    }
  };

  $<HTMLInputElement>("file").addEventListener("change", async (ev) => {
    const file = (ev.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const bmp = await createImageBitmap(file, { imageOrientation: "from-image" });
    await run(bmp, bmp.width, bmp.height, file.name);
  });
  const thresholdsChanged = async () => {
    const minScore = Number(minScoreInput.value), secondLook = Number(secondLookInput.value);
    if (!(minScore >= 0.05 && minScore <= 1)) {
      $("status").textContent = `the detector score must be a number in 0.05..1, got "${minScoreInput.value}"`;
      return;
    }
    if (!(secondLook >= 0 && secondLook <= 1)) {
      $("status").textContent = `the second look must be a number in 0..1, got "${secondLookInput.value}"`;
      return;
    }
    detector = blazeFace(blazeModel, { minScore, secondLook });
    const pic = last?.source;
    if (pic && last) await run(pic, pic.width, pic.height, last.what);
  };
  minScoreInput.addEventListener("change", thresholdsChanged);
  secondLookInput.addEventListener("change", thresholdsChanged);
  $<HTMLInputElement>("heat").addEventListener("change", () => {
    if (last) draw(ctx, last.base, last.faces, $<HTMLInputElement>("heat").checked);
  });
  $("camera").addEventListener("click", async () => {
    const video = $<HTMLVideoElement>("video");
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    await video.play();
    const tick = async () => {
      if (video.videoWidth > 0) await run(video, video.videoWidth, video.videoHeight, "webcam");
      setTimeout(tick, 300);
    };
    tick();
  });
  state.ready = true;
  $("status").textContent = "ready: choose a picture or start the webcam";
}

main().catch((err) => {
  state.error = String(err);
  $("status").textContent = `error: ${err}`;
});
