import assert from "node:assert/strict";
import { describeFailure, outputFolder, PYTHON, runNotebook } from "../tools/notebooks.ts";

const PROGRESS = new URL("../lib/util/progress.ts", import.meta.url).href;

function codeCell(source: string) {
  return { cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: [source] };
}

async function writeNotebook(dir: string, sources: string[]): Promise<string> {
  const nb = {
    cells: [{ cell_type: "markdown", metadata: {}, source: ["# generated"] }, ...sources.map(codeCell)],
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const path = `${dir}/gen.ipynb`;
  await Deno.writeTextFile(path, JSON.stringify(nb, null, 1));
  return path;
}

interface Output {
  output_type: string;
  data?: Record<string, string>;
  text?: string;
  execution_count?: number;
}
interface Cell {
  cell_type: string;
  execution_count: number | null;
  outputs: Output[];
}

// deno-lint-ignore no-control-regex
const plain = (o: Output) => (o.data?.["text/plain"] ?? "").replace(/\x1b\[[0-9;]*m/g, "");

Deno.test("runner: 12 result cells, progress displays (one shared by three bars) and FER_FAST survive 3 executions", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sources = Array.from({ length: 12 }, (_, i) => `${i} * 7 + 1`);
    sources.push(
      `import { Progress, ProgressDisplay } from "${PROGRESS}";\n` +
        `const p = new Progress({ label: "loop", total: 20, intervalMs: 0 });\n` +
        `for (let i = 0; i < 20; i++) { await new Promise((r) => setTimeout(r, 5)); p.tick(1); }\np.done();`,
      `console.log("to stdout"); Deno.env.get("FER_FAST")`,
      `const shared = new ProgressDisplay();\n` +
        `for (let e = 1; e <= 3; e++) {\n` +
        `  const q = new Progress({ label: \`epoch \${e}/3\`, total: 4, intervalMs: 0, display: shared });\n` +
        `  for (let i = 0; i < 4; i++) { await new Promise((r) => setTimeout(r, 5)); q.tick(1); }\n` +
        `  q.done();\n}`,
    );
    const path = await writeNotebook(dir, sources);
    for (let run = 0; run < 3; run++) {
      const out = `${dir}/out-${run}.ipynb`;
      const r = await runNotebook({ path, outPath: out, fast: true });
      assert.ok(r.ok, describeFailure(r));
      assert.equal(r.executed, 15);
      const cells: Cell[] = JSON.parse(await Deno.readTextFile(out)).cells.filter((c: Cell) => c.cell_type === "code");
      for (let i = 0; i < 12; i++) {
        const res = cells[i].outputs.filter((o) => o.output_type === "execute_result");
        assert.equal(res.length, 1, `run ${run} cell ${i}: ${JSON.stringify(cells[i].outputs)}`);
        assert.equal(plain(res[0]), String(i * 7 + 1));
        assert.equal(cells[i].execution_count, i + 1);
      }
      // The progress bar is one display, updated in place to its final state.
      const shown = cells[12].outputs.filter((o) => o.output_type === "display_data");
      assert.equal(shown.length, 1, JSON.stringify(cells[12].outputs));
      assert.match(shown[0].data!["text/plain"], /^loop 20\/20 .* in \d+s/);
      assert.ok(shown[0].data!["text/html"].includes(`<progress value="1"`));
      const last = cells[13].outputs;
      assert.deepEqual(last.filter((o) => o.output_type === "stream").map((o) => o.text), ["to stdout\n"]);
      assert.equal(plain(last.find((o) => o.output_type === "execute_result")!), `"1"`);
      // Three bars sharing one display: the cell keeps one output, the last bar's final state.
      const epochs = cells[14].outputs;
      assert.equal(epochs.length, 1, JSON.stringify(epochs));
      assert.match(epochs[0].data!["text/plain"], /^epoch 3\/3 4\/4 .* in \d+s/);
    }
    const original = JSON.parse(await Deno.readTextFile(path));
    assert.equal(original.cells[1].outputs.length, 0, "input notebook untouched when outPath is given");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runner: a failing cell fails the run, names notebook and cell, and stops execution", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await writeNotebook(dir, ["1 + 1", "const x: number = 3;\nthrow new Error(`boom ${x}`);", "42"]);
    const out = `${dir}/out.ipynb`;
    const r = await runNotebook({ path, outPath: out });
    assert.equal(r.ok, false);
    assert.equal(r.executed, 2);
    assert.deepEqual(
      { cell: r.error?.cell, codeCell: r.error?.codeCell, evalue: r.error?.evalue },
      { cell: 2, codeCell: 1, evalue: "boom 3" },
    );
    assert.equal(
      describeFailure(r),
      `${path}: cell 2 (code cell 1) failed: Error: boom 3 [first line: const x: number = 3;]`,
    );
    const cells: Cell[] = JSON.parse(await Deno.readTextFile(out)).cells;
    assert.equal(cells[2].outputs[0].output_type, "error");
    assert.equal(cells[3].execution_count, null, "cells after the failure do not run");
    await assert.rejects(runNotebook({ path: `${dir}/missing.ipynb` }), /notebook not found: .*missing\.ipynb/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runner: pictures of cells tagged dataset-images are never saved, their text and tables are", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await writeNotebook(dir, [
      `console.log("grid of 3 faces"); Deno.jupyter.display({ "image/png": "iVBORw0KGgo=" }, { raw: true });\n` +
      `Deno.jupyter.display({ "text/html": "<table><tr><td>angry</td><td>12</td></tr></table>" }, { raw: true })`,
      `"kept"`,
    ]);
    const nb = JSON.parse(await Deno.readTextFile(path));
    nb.cells[1].metadata.tags = ["dataset-images"];
    nb.cells[2].id = "kept-id";
    nb.nbformat_minor = 4;
    await Deno.writeTextFile(path, JSON.stringify(nb));
    const out = `${dir}/out.ipynb`;
    const r = await runNotebook({ path, outPath: out });
    assert.ok(r.ok, describeFailure(r));
    const cells: Cell[] = JSON.parse(await Deno.readTextFile(out)).cells;
    const tagged = cells[1].outputs;
    const shown = tagged.filter((o) => o.output_type === "display_data");
    assert.deepEqual(shown.map((o) => Object.keys(o.data ?? {})), [["text/html"]], "the table stays, the picture goes");
    const text = tagged.map((o) => [o.text].flat().join("")).join("");
    assert.match(text, /grid of 3 faces/);
    assert.match(text, /dataset images are not saved/);
    assert.equal(plain(cells[2].outputs.find((o) => o.output_type === "execute_result")!), `"kept"`);
    // Saved as valid nbformat 4.5: every cell has a unique id, an existing one is kept.
    const saved = JSON.parse(await Deno.readTextFile(out));
    assert.equal(saved.nbformat_minor, 5);
    // The kernel's own language_info, so Jupyter finds nothing to change when it connects.
    assert.equal(saved.metadata.language_info.name, "typescript");
    assert.equal(typeof saved.metadata.language_info.version, "string");
    assert.equal(saved.metadata.language_info.codemirror_mode, "typescript");
    const ids = saved.cells.map((c: { id?: string }) => c.id);
    assert.equal(ids[2], "kept-id");
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) assert.match(id, /^[a-zA-Z0-9-_]{1,64}$/);
    const check = await new Deno.Command(PYTHON, {
      args: ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", out],
    }).output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runner: a fast run is saved to outputs/notebooks-fast, never over the committed chapters", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const books = `${dir}/notebooks`;
    await Deno.mkdir(books);
    const o = { notebooksDir: books, root: dir };
    assert.equal(await outputFolder({ fast: false, ...o }), undefined, "a full run saves in place");
    assert.equal(await outputFolder({ fast: true, ...o }), `${dir}/outputs/notebooks-fast`);
    assert.equal(await outputFolder({ fast: true, out: `${dir}/elsewhere`, ...o }), `${dir}/elsewhere`);
    await assert.rejects(outputFolder({ fast: true, out: `${books}/`, ...o }), /would replace the committed/);
    await assert.rejects(outputFolder({ fast: true, out: `${dir}/./notebooks`, ...o }), /would replace the committed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
