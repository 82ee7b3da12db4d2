/**
 * The face detector from the files installed with @vladmandic/human (models/blazeface.json + .bin): nothing is
 * downloaded.
 *
 * @example
 * ```ts
 * const detector = await loadDetector();
 * const boxes = await detector.detect(rgb);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { join } from "node:path";
import { HUMAN_VERSION } from "../peers/human_emotion.ts";
import { packageDir, readModelArtifacts } from "../peers/package_files.ts";
import { blazeFace, type BlazeFaceOptions, type FaceDetector } from "./blazeface.ts";

/** Path of the detector's model.json inside the installed @vladmandic/human. */
export function detectorModelPath(): string {
  return join(packageDir("@vladmandic/human", HUMAN_VERSION), "models", "blazeface.json");
}

/** The BlazeFace graph model from @vladmandic/human's package files (for blazeface.ts's secondLook beside a detector). */
export async function loadDetectorModel(): Promise<GraphModel> {
  return await loadGraphModel(tf.io.fromMemory(await readModelArtifacts(detectorModelPath())));
}

/** Loads BlazeFace from @vladmandic/human's package files. */
export async function loadDetector(opts: BlazeFaceOptions = {}): Promise<FaceDetector> {
  return blazeFace(await loadDetectorModel(), opts);
}
