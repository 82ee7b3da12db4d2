import assert from "node:assert/strict";
import { saveFigure } from "./save.ts";
import { showTable, tableHtml, tableMarkdown, tableText } from "./show.ts";
import { barChart } from "./bar_chart.ts";
import { fastMode } from "../util/mode.ts";

Deno.test("saveFigure writes .png and .svg, creating folders, and strips an extension", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fig = barChart({ labels: ["a", "b"], values: [1, 2], width: 200, height: 120 });
    const paths = await saveFigure(fig, `${dir}/sub/counts.png`);
    assert.deepEqual(paths, [`${dir}/sub/counts.png`, `${dir}/sub/counts.svg`]);
    assert.deepEqual(await Deno.readFile(paths[0]), fig.png);
    assert.equal(await Deno.readTextFile(paths[1]), fig.svg);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tables: records and DataFrame-like sources become markdown and HTML", () => {
  const rows = [{ model: "CNN", acc: 0.712345 }, { model: "a|b", acc: 1, extra: "<x>" }];
  const t = tableText(rows, { digits: 3 });
  assert.deepEqual(t.columns, ["model", "acc", "extra"]);
  assert.deepEqual(t.rows, [["CNN", "0.712", ""], ["a|b", "1", "<x>"]]);
  assert.equal(
    tableMarkdown(t, "T"),
    "**T**\n\n| model | acc | extra |\n| --- | --- | --- |\n| CNN | 0.712 |  |\n| a\\|b | 1 | <x> |",
  );
  assert.ok(tableHtml(t).includes("<td>&lt;x&gt;</td>"));
  const df = { toRecords: () => [{ n: 1 }, { n: 2 }, { n: 3 }] };
  assert.deepEqual(tableText(df, { maxRows: 2 }), { columns: ["n"], rows: [["1"], ["2"]], omitted: 1 });
  const printed: string[] = [];
  const log = console.log;
  console.log = (x: string) => printed.push(x);
  try {
    showTable(df, { title: "outside a notebook" });
  } finally {
    console.log = log;
  }
  assert.equal(printed.length, 1);
  assert.ok(printed[0].startsWith("**outside a notebook**") && printed[0].includes("| 3 |"));
});

Deno.test("fastMode reads FER_FAST and rejects typos", () => {
  const old = Deno.env.get("FER_FAST");
  try {
    Deno.env.set("FER_FAST", "1");
    assert.equal(fastMode(), true);
    Deno.env.set("FER_FAST", "0");
    assert.equal(fastMode(), false);
    Deno.env.delete("FER_FAST");
    assert.equal(fastMode(), false);
    Deno.env.set("FER_FAST", "fats");
    assert.throws(() => fastMode(), /FER_FAST must be/);
  } finally {
    if (old === undefined) Deno.env.delete("FER_FAST");
    else Deno.env.set("FER_FAST", old);
  }
});
