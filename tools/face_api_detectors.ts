/**
 * @vladmandic/face-api's two face detectors (TinyFaceDetector, SSD MobileNet v1) from the weights in its npm
 * package, behind lib/photo's {@link FaceDetector}, for tools/detector_compare.ts and bench/real_photos.ts.
 * face-api's ESM build carries its own tfjs 4.22; loaded with `process` hidden, so that tfjs takes the browser
 * platform (its Node platform needs `require`), it runs on its bundled CPU backend (the same tfjs-backend-cpu 4.22
 * kernels as ours).
 *
 * @example
 * ```ts
 * const tiny = await faceApiDetector("tiny", { inputSize: 416, minScore: 0.5 });
 * const boxes = await tiny.detect(rgb);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { packageDir } from "../lib/peers/mod.ts";
import type { FaceDetector } from "../lib/photo/mod.ts";

// deno-lint-ignore no-explicit-any
type FaceApi = any;
let faceApi: Promise<FaceApi> | null = null;

function load(): Promise<FaceApi> {
  faceApi ??= (async () => {
    // Both tfjs copies read one global flag registry: ours has set IS_NODE under Deno.
    const g = globalThis as { process?: unknown }, saved = g.process, wasNode = tf.env().getBool("IS_NODE");
    g.process = undefined;
    tf.env().set("IS_NODE", false);
    try {
      const fa = await import(join(packageDir("@vladmandic/face-api", "1.7.15"), "dist", "face-api.esm.js"));
      await fa.tf.setBackend("cpu");
      // face-api asks its environment for DOM classes to test inputs against; tensors are all it is given here.
      class NoDom {}
      const none = () => {
        throw new Error("face-api: only tensor inputs are supported here");
      };
      fa.env.setEnv({
        Canvas: NoDom,
        CanvasRenderingContext2D: NoDom,
        Image: NoDom,
        ImageData: NoDom,
        Video: NoDom,
        createCanvasElement: none,
        createImageElement: none,
        createVideoElement: none,
        fetch: none,
        readFile: none,
      });
      return fa;
    } finally {
      g.process = saved;
      tf.env().set("IS_NODE", wasNode);
    }
  })();
  return faceApi;
}

/** Options of {@link faceApiDetector}. */
export interface FaceApiOptions {
  /** Smallest score kept. */
  minScore: number;
  /** TinyFaceDetector's input side (a multiple of 32). */
  inputSize?: number;
}

/** One of face-api's detectors, weights read from its package's model/ folder. */
export async function faceApiDetector(kind: "tiny" | "ssd", opts: FaceApiOptions): Promise<FaceDetector> {
  const fa = await load();
  const net = kind === "tiny" ? new fa.TinyFaceDetector() : new fa.SsdMobilenetv1();
  const file = kind === "tiny" ? "tiny_face_detector_model" : "ssd_mobilenetv1_model";
  const dir = join(packageDir("@vladmandic/face-api", "1.7.15"), "model");
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, `${file}-weights_manifest.json`)));
  const specs = manifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const parts = await Promise.all(
    manifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => Deno.readFile(join(dir, p))),
  );
  const data = new Uint8Array(parts.reduce((n: number, p: Uint8Array) => n + p.length, 0));
  parts.reduce((o: number, p: Uint8Array) => (data.set(p, o), o + p.length), 0);
  net.loadFromWeightMap(fa.tf.io.decodeWeights(data.buffer, specs));
  const options = kind === "tiny"
    ? new fa.TinyFaceDetectorOptions({ inputSize: opts.inputSize ?? 416, scoreThreshold: opts.minScore })
    : new fa.SsdMobilenetv1Options({ minConfidence: opts.minScore });
  return {
    name: kind === "tiny"
      ? `face-api TinyFaceDetector ${opts.inputSize ?? 416}, minScore ${opts.minScore}`
      : `face-api SSD MobileNet v1, minScore ${opts.minScore}`,
    async detect(img) {
      const t = fa.tf.tensor3d(img.data, [img.height, img.width, 3], "int32");
      try {
        const found = await net.locateFaces(t, options);
        return found.map((d: { box: { x: number; y: number; width: number; height: number }; score: number }) => ({
          x: d.box.x,
          y: d.box.y,
          width: d.box.width,
          height: d.box.height,
          score: d.score,
        }));
      } finally {
        t.dispose();
      }
    },
    dispose: () => net.dispose(),
  };
}
