/**
 * `deno task fer lbp`: the LBP code image of one picture, as a PNG or as JSON.
 *
 * @example
 * ```sh
 * deno task fer lbp --method circle --points 8 --radius 1 --input face.jpg --output face_lbp.png
 * deno task fer lbp --method riu2 --input face.jpg --json   # {"height","width","codes":[…]} row-major
 * ```
 * @module
 */
import { type Command, flags, numberFlag, required } from "./command.ts";
import { decodeImage } from "../data/image.ts";
import { writeGrayPng } from "../features/gray.ts";
import { lbp, LBP_METHODS, lbpMaxCode, type LbpMethod } from "../features/lbp.ts";

const HELP = `usage: deno task fer lbp --method <${LBP_METHODS.join("|")}> [--points P] [--radius R]
                           --input IMG (--output PNG | --json)

  --points   sampling points P, 1..16 (default 8; original: 8 only)
  --radius   circle radius R (default 1; original: 1 only)
  --output   PNG of the codes scaled to 0..255 (code * 255 / max code, rounded)
  --json     print {"height", "width", "codes": [...]} (row-major codes) instead`;

/** The `lbp` command. */
export const command: Command = {
  name: "lbp",
  summary: "LBP code image of one picture (PNG or JSON)",
  async run(args) {
    const f = flags(args, {
      method: { type: "string" },
      points: { type: "string" },
      radius: { type: "string" },
      input: { type: "string" },
      output: { type: "string" },
      json: { type: "boolean" },
    }, { help: HELP });
    if (!f) return 0;
    const values = f.values;
    const method = required(values, "method") as LbpMethod;
    const points = numberFlag(values.points, "points") ?? 8, radius = numberFlag(values.radius, "radius") ?? 1;
    const opts = { method, points, radius };
    if (Boolean(values.output) === Boolean(values.json)) throw new Error("give exactly one of --output PNG and --json");
    const img = await decodeImage(required(values, "input"));
    const out = lbp(img, opts);
    if (values.json) {
      console.log(JSON.stringify({ height: out.height, width: out.width, codes: Array.from(out.codes) }));
      return 0;
    }
    const max = lbpMaxCode(opts);
    const data = new Uint8Array(out.codes.length);
    for (let k = 0; k < data.length; k++) data[k] = Math.round((out.codes[k] * 255) / max);
    await writeGrayPng(values.output!, { width: out.width, height: out.height, data });
    console.log(`wrote ${values.output} (${method}, P=${opts.points}, R=${opts.radius}, ${out.width}x${out.height})`);
    return 0;
  },
};
