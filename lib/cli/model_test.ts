import assert from "node:assert/strict";
import { join } from "node:path";
import { command } from "./model.ts";
import { PRESETS } from "../model/presets.ts";
import { captureLog } from "./testing.ts";

const capture = (args: string[]) => captureLog(() => command.run(args));

Deno.test("fer model presets lists every preset; --json round-trips them", async () => {
  const { code, out } = await capture(["presets", "--json"]);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), PRESETS);
  const text = await capture(["presets"]);
  assert.match(text.out, /table2-no-attention\s+256×256, width 1, lbp circle, dilations 2-3-4-5, no attention/);
});

Deno.test("fer model summary --json reports the overridden size and consistent totals", async () => {
  const { code, out } = await capture([
    "summary",
    "--preset",
    "table2-no-reconstruction",
    "--input-size",
    "32",
    "--width",
    "0.125",
    "--json",
  ]);
  assert.equal(code, 0);
  const s = JSON.parse(out);
  assert.equal(s.config.inputSize, 32);
  assert.equal(s.config.reconstruction, false);
  assert.ok(!s.layers.some((l: { module: string }) => l.module === "rec"));
  assert.equal(s.params, s.layers.reduce((n: number, l: { params: number }) => n + l.params, 0));
  assert.equal(s.macs, s.layers.reduce((n: number, l: { macs: number }) => n + l.macs, 0));
});

Deno.test("fer model diagram writes an SVG; bad flags and names are errors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "d.svg");
    assert.equal((await capture(["diagram", "--preset", "table3-C", "--output", file])).code, 0);
    const svg = await Deno.readTextFile(file);
    assert.match(svg, /^<svg /);
    assert.match(svg, /dilations 3, 3, 3, 3/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  await assert.rejects(command.run(["summary", "--preset", "table9"]), /unknown model preset "table9"/);
  await assert.rejects(command.run(["summary", "--width=-1"]), /--width must be a positive number/);
  await assert.rejects(command.run(["draw"]), /unknown subcommand "draw"/);
  await assert.rejects(command.run(["summary", "--bogus"]), /bogus/);
});
