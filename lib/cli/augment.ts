/**
 * `deno task fer augment`: N augmented versions of one picture with the paper's Keras settings.
 *
 * @example
 * ```sh
 * deno task fer augment --input face.png --n 4 --seed 7 --output out/aug
 * # writes out/aug/face_aug0.png … face_aug3.png and prints each matrix as JSON lines
 * ```
 * @module
 */
import { basename, extname, join } from "node:path";
import { type Command, flags, numberFlag, required } from "./command.ts";
import { Rng } from "../util/rng.ts";
import { affineFromParams, applyAffine, PAPER_AUGMENT, randomTransformParams } from "../features/augment.ts";
import { decodeImage } from "../data/image.ts";
import { writeGrayPng } from "../features/gray.ts";

const HELP = `usage: deno task fer augment --input IMG --n N --seed S --output DIR

Writes DIR/<name>_aug<k>.png for k = 0..N-1 (Keras ImageDataGenerator: rotation 20, shifts 0.15,
shear 0.15 degrees, zoom 0.15, horizontal flip, fill nearest) and prints one JSON line per image
with the drawn parameters and the output->input matrix [a,b,c,d,e,f] (x = column, y = row).`;

/** The `augment` command. */
export const command: Command = {
  name: "augment",
  summary: "augmented versions of one picture (Keras ImageDataGenerator settings of the paper)",
  async run(args) {
    const f = flags(args, {
      input: { type: "string" },
      n: { type: "string", default: "4" },
      seed: { type: "string", default: "0" },
      output: { type: "string" },
    }, { help: HELP });
    if (!f) return 0;
    const values = f.values;
    const input = required(values, "input");
    const dir = required(values, "output");
    const n = numberFlag(values.n, "n", { integer: true, min: 1 })!;
    const seed = numberFlag(values.seed, "seed", { integer: true })!;
    const img = await decodeImage(input);
    await Deno.mkdir(dir, { recursive: true });
    const rng = new Rng(seed);
    const stem = basename(input, extname(input));
    for (let k = 0; k < n; k++) {
      const params = randomTransformParams(rng, PAPER_AUGMENT, img);
      const matrix = affineFromParams(params, img);
      const file = join(dir, `${stem}_aug${k}.png`);
      await writeGrayPng(file, applyAffine(img, matrix));
      console.log(JSON.stringify({ file, params, matrix }));
    }
    return 0;
  },
};
