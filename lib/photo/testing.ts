/**
 * Test helpers of lib/photo: a scene of the synthetic faces (no dataset needed) and a seeded, untrained model
 * with FER2013's labels at 48×48.
 *
 * @example
 * ```ts
 * const scene = await syntheticScene(3, 2); // at least 2 faces
 * const fm = seededModel();
 * ```
 * @module
 */
import { FER2013_EMOTIONS } from "../data/labels.ts";
import { syntheticDataset } from "../data/synthetic.ts";
import { buildModel, type FerModel } from "../model/build.ts";
import { preset } from "../model/presets.ts";
import { Rng } from "../util/rng.ts";
import { makeScene, type Scene } from "./scene.ts";

/** A scene of synthetic 48×48 faces with at least `minFaces` faces (0: whatever the seed draws). */
export async function syntheticScene(seed: number, minFaces = 0, maxFaces = 4): Promise<Scene> {
  const ds = syntheticDataset({ n: 40, seed: 7 });
  const faces = await Promise.all(ds.samples.map((s) => ds.load(s, { size: 48 })));
  const rng = new Rng(seed);
  for (;;) {
    const scene = makeScene(faces, rng, { maxFaces });
    if (scene.faces.length >= minFaces) return scene;
  }
}

/** cpu-tiny at 48×48 with seed 0 and FER2013's labels, untrained. */
export function seededModel(): FerModel {
  return { ...buildModel(preset("cpu-tiny")), labels: [...FER2013_EMOTIONS] };
}
