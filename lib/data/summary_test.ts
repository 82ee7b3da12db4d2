import assert from "node:assert/strict";
import { fileDataset } from "./dataset.ts";
import { summarize, summaryText } from "./summary.ts";
import { summaryFrame } from "./summary_frame.ts";

Deno.test("summary counts split × class and subjects, as JSON and as a DataFrame", () => {
  const ds = fileDataset({
    name: "t",
    root: "/r",
    classes: ["angry", "happy"],
    samples: [
      { path: "a", label: 0, split: "PublicTest", subject: "x" },
      { path: "b", label: 1, split: "Training", subject: "x" },
      { path: "c", label: 1, split: "Training", subject: "y" },
    ],
  });
  const s = summarize(ds);
  assert.deepEqual(s.splits, [
    { split: "Training", counts: { angry: 0, happy: 2 }, total: 2, subjects: 2 },
    { split: "PublicTest", counts: { angry: 1, happy: 0 }, total: 1, subjects: 1 },
  ]);
  assert.deepEqual([s.total, s.subjects, s.sequences], [3, 2, null]);
  const df = summaryFrame(ds);
  assert.deepEqual(df.columns, ["split", "angry", "happy", "total", "subjects"]);
  assert.deepEqual(df.getColumn("happy").toArray(), [2, 0]);
  assert.equal(String(df.getColumn("total").dtype), "DataType(Int64)");
  assert.equal(
    summaryText(s),
    [
      "split       angry  happy  total  subjects",
      "Training        0      2      2         2",
      "PublicTest      1      0      1         1",
    ]
      .join("\n"),
  );
  assert.deepEqual(df.getColumn("split").toArray(), ["Training", "PublicTest"]);
  const anonymous = { ...ds, samples: ds.samples.map(({ subject: _, ...rest }) => rest) };
  assert.deepEqual(summaryFrame(anonymous).columns, ["split", "angry", "happy", "total"]);
});
