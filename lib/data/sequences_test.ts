import assert from "node:assert/strict";
import { loadOulu, loadSequences } from "./sequences.ts";
import { patternImage, writeTree } from "./fixtures.ts";

function frames(prefix: string, n: number, ext = "jpeg"): Record<string, ReturnType<typeof patternImage>> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`${prefix}/${String(i).padStart(3, "0")}.${ext}`, patternImage(i, 16)]),
  );
}

Deno.test("Oulu-CASIA: VIS/Strong/P###/<Expression> trees, last k frames, other conditions selectable", async () => {
  const root = await writeTree({
    ...frames("OriginalImg/VIS/Strong/P001/Anger", 6),
    ...frames("OriginalImg/VIS/Strong/P001/Happiness", 4),
    ...frames("OriginalImg/VIS/Strong/P002/Sadness", 2),
    ...frames("OriginalImg/NI/Dark/P003/Surprise", 5),
  });
  const ds = loadOulu({ root });
  assert.equal(ds.name, "oulu");
  assert.deepEqual(ds.classes, ["angry", "happy", "sad"]);
  assert.deepEqual(ds.samples.map((s) => s.path.split("/").slice(-3).join("/")), [
    "P001/Anger/003.jpeg",
    "P001/Anger/004.jpeg",
    "P001/Anger/005.jpeg",
    "P001/Happiness/001.jpeg",
    "P001/Happiness/002.jpeg",
    "P001/Happiness/003.jpeg",
    "P002/Sadness/000.jpeg",
    "P002/Sadness/001.jpeg",
  ]);
  assert.deepEqual([...new Set(ds.samples.map((s) => s.subject))], ["P001", "P002"]);
  assert.equal(ds.samples[0].sequence, "P001/Anger");
  const ni = loadOulu({ root, modality: "NI", illumination: "Dark", lastK: 2 });
  assert.deepEqual([ni.classes, ni.samples.length], [["surprise"], 2]);
  assert.throws(() => loadOulu({ root, illumination: "Weak" }), /no Oulu-CASIA subjects found; expected .*Weak/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("NCUFE-style subject/expression/frames with natural frame order and bad-input errors", async () => {
  const root = await writeTree({
    "sub01/happy/f1.png": patternImage(1),
    "sub01/happy/f2.png": patternImage(2),
    "sub01/happy/f10.png": patternImage(10),
    "sub02/fearful/a.png": patternImage(3),
  });
  const ds = loadSequences({ root, lastK: 2 });
  assert.deepEqual(ds.samples.map((s) => s.path.split("/").slice(-1)[0]), ["f2.png", "f10.png", "a.png"]);
  assert.deepEqual(ds.classes, ["fear", "happy"]);
  assert.deepEqual(ds.samples.map((s) => s.subject), ["sub01", "sub01", "sub02"]);
  await Deno.mkdir(`${root}/sub02/yawning`);
  assert.throws(() => loadSequences({ root }), /yawning: expression folder: unknown expression "yawning"/);
  await Deno.remove(root, { recursive: true });
});
