import assert from "node:assert/strict";
import { join } from "node:path";
import { HUMAN_VERSION } from "./human_emotion.ts";
import { packageDir } from "./package_files.ts";

Deno.test("human's emotion model is oarriaga's big-Xception: its layout and 205,129 values", async () => {
  const path = join(packageDir("@vladmandic/human", HUMAN_VERSION), "models", "emotion.json");
  const json = JSON.parse(await Deno.readTextFile(path)) as {
    weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  const weights = json.weightsManifest.flatMap((g) => g.weights);
  const count = (dtype: string) =>
    weights.filter((w) => w.dtype === dtype).reduce((a, w) => a + w.shape.reduce((p, d) => p * d, 1), 0);
  assert.equal(count("float32"), 205_127);
  assert.equal(count("int32"), 2);
  // the dense convs: 3×3 1→32, 3×3 32→64, the residual 1×1 64→128 and 128→256 (mini-Xception's are 8, 16 … 128 wide)
  const convs = weights.filter((w) => /conv2d_\d+\/Conv2D_weights$/.test(w.name)).map((w) => w.shape.join("×"));
  assert.deepEqual(convs.sort(), ["1×1×128×256", "1×1×64×128", "3×3×1×32", "3×3×32×64"]);
  // and the classifier: a 3×3 conv from 256 channels to the 7 classes
  assert.ok(weights.some((w) => w.shape.join("×") === "3×3×256×7"), "no 3×3×256×7 classifier conv");
});
