/**
 * The committed chapters as files, before anyone runs them: valid nbformat 4.5 with cell ids, every rich
 * output in a form an untrusted notebook shows (HTML or PNG beside Markdown or SVG), no noise (stderr, errors,
 * banners, library warnings, progress frozen mid-way), no machine paths, links that resolve from notebooks/,
 * no picture in a cell tagged `dataset-images`, and the paper's figures present on synthetic faces.
 */
import assert from "node:assert/strict";
import { listNotebooks, PYTHON } from "../tools/notebooks.ts";

const DIR = new URL("../notebooks", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

type Text = string | string[];
interface Output {
  output_type: string;
  name?: string;
  text?: Text;
  data?: Record<string, Text>;
  ename?: string;
}
interface Cell {
  id?: string;
  cell_type: string;
  metadata?: { tags?: string[] };
  source: Text;
  outputs?: Output[];
}
interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  cells: Cell[];
}

const join = (t: Text | undefined) => [t ?? ""].flat().join("");

/** Cells (by id) that must show a picture in the saved chapter: the paper's figures and the 02/03 grids. */
const FIGURES: Record<string, string[]> = {
  "01_datasets.ipynb": ["c09"], // synthetic faces with their masks
  "02_lbp.ipynb": ["c05", "c11"], // Figure 7; LBP input normalisations
  "03_augmentation.ipynb": ["c05", "c07", "c09"], // Figure 8; masks aligned; first augmented copies
  "04_model.ipynb": ["c03", "c05"], // the network; Table 2 variants
  "08_attention.ipynb": ["c02b", "c06", "c06b"], // masks; F_m per class; Figure 6
};

/** MIME types classic Notebook shows in an untrusted notebook (HTML sanitised). */
const UNTRUSTED_OK = ["text/html", "image/png", "image/jpeg", "text/latex", "text/plain"];

/** Everything a reader sees as text: streams, errors, and each bundle's texts with inline images cut out. */
function visibleText(o: Output): string {
  if (o.output_type === "stream") return join(o.text);
  if (o.output_type === "error") return `${o.ename}`;
  return Object.entries(o.data ?? {})
    .filter(([k]) => !k.startsWith("image/"))
    .map(([, v]) => join(v).replace(/data:image\/[a-z+]+;base64,[A-Za-z0-9+/=]+/g, "data:image"))
    .join("\n");
}

function showsPicture(o: Output): boolean {
  const data = o.data ?? {};
  if (Object.keys(data).some((k) => k.startsWith("image/"))) return true;
  const html = join(data["text/html"]);
  return /<img|data:image|<svg/.test(html);
}

const books = await listNotebooks(DIR);
const parsed = new Map<string, Notebook>();
for (const p of books) parsed.set(p.slice(p.lastIndexOf("/") + 1), JSON.parse(await Deno.readTextFile(p)));

Deno.test("saved chapters are valid nbformat 4.5: every cell has a unique id (Jupyter's own validator agrees)", async () => {
  for (const [name, nb] of parsed) {
    assert.equal(`${nb.nbformat}.${nb.nbformat_minor}`, "4.5", name);
    const ids = nb.cells.map((c) => c.id);
    for (const id of ids) assert.match(String(id), /^[a-zA-Z0-9-_]{1,64}$/, `${name}: cell id ${id}`);
    assert.equal(new Set(ids).size, ids.length, `${name}: duplicate cell ids`);
  }
  const script = "import nbformat, sys\nfor p in sys.argv[1:]:\n    nbformat.validate(nbformat.read(p, as_version=4))";
  const r = await new Deno.Command(PYTHON, { args: ["-c", script, ...books] }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
});

Deno.test("saved outputs: every rich output shows untrusted, no stderr, errors, banners, warnings or raw pipe tables", () => {
  for (const [name, nb] of parsed) {
    nb.cells.forEach((cell, i) => {
      for (const o of cell.outputs ?? []) {
        const where = `${name} cell ${i} (${cell.id})`;
        assert.notEqual(o.output_type, "error", `${where}: error output ${o.ename}`);
        assert.ok(!(o.output_type === "stream" && o.name === "stderr"), `${where}: stderr: ${join(o.text)}`);
        const text = visibleText(o);
        assert.doesNotMatch(text, /looks like you are running TensorFlow\.js/, `${where}: tfjs banner`);
        assert.doesNotMatch(text, /^Warning:/m, `${where}: a library warning`);
        const mimes = Object.keys(o.data ?? {});
        if (mimes.length > 0) {
          const shown = mimes.find((m) => UNTRUSTED_OK.includes(m) && m !== "text/plain") ??
            (mimes.every((m) => m === "text/plain") ? "text/plain" : undefined);
          assert.ok(shown, `${where}: ${mimes.join(", ")} needs text/html or image/png to show untrusted`);
          if (shown === "text/plain") {
            assert.doesNotMatch(text, /\|\s*:?-{3,}:?\s*\|/, `${where}: a pipe table as text`);
          }
        }
      }
    });
  }
});

Deno.test("saved outputs: paths relative to the repository, links that resolve from notebooks/", async () => {
  const machine = new RegExp(`(${ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}|/work/|/home/|/root/|/tmp/)`);
  for (const [name, nb] of parsed) {
    for (const [i, cell] of nb.cells.entries()) {
      for (const o of cell.outputs ?? []) {
        const text = visibleText(o);
        assert.doesNotMatch(text, machine, `${name} cell ${i}: an absolute machine path`);
        const links = [
          ...[...text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]),
          ...[...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]),
        ].filter((l) => !/^(https?:|mailto:|#)/.test(l));
        for (const link of links) {
          const target = new URL(link, `file://${DIR}/`).pathname;
          const ok = await Deno.stat(target).then(() => true, () => false);
          assert.ok(ok, `${name} cell ${i}: link ${link} does not resolve from notebooks/ (${target})`);
        }
      }
    }
  }
});

Deno.test("saved outputs: progress is saved finished, one display per loop", () => {
  for (const [name, nb] of parsed) {
    nb.cells.forEach((cell, i) => {
      const bars = (cell.outputs ?? []).filter((o) => join(o.data?.["text/html"]).includes("<progress"));
      const stems = bars.map((o) => join(o.data?.["text/plain"]).split(" [")[0].replace(/\d+/g, "#"));
      assert.equal(new Set(stems).size, stems.length, `${name} cell ${i}: one loop saved as several bars: ${stems}`);
      for (const o of bars) {
        assert.match(join(o.data?.["text/html"]), /<progress value="1"/, `${name} cell ${i}: a bar saved unfinished`);
        assert.match(join(o.data?.["text/plain"]), / in \d+(h|m|s)/, `${name} cell ${i}: a bar saved unfinished`);
      }
    });
  }
});

Deno.test("saved outputs: no picture of a dataset-images cell; the paper's figures on synthetic faces are there", () => {
  for (const [name, nb] of parsed) {
    nb.cells.forEach((cell, i) => {
      if (!cell.metadata?.tags?.includes("dataset-images")) return;
      assert.ok(!(cell.outputs ?? []).some(showsPicture), `${name} cell ${i}: a picture in a dataset-images cell`);
    });
  }
  for (const [name, ids] of Object.entries(FIGURES)) {
    const nb = parsed.get(name);
    assert.ok(nb, `${name} is missing`);
    for (const id of ids) {
      const cell = nb.cells.find((c) => c.id === id);
      assert.ok(cell, `${name}: no cell ${id}`);
      assert.ok(!cell.metadata?.tags?.includes("dataset-images"), `${name} ${id} must not be a dataset-images cell`);
      assert.ok(
        (cell.outputs ?? []).some((o) => o.data?.["image/png"] !== undefined),
        `${name} cell ${id}: its figure is not in the saved notebook (${join(cell.source).split("\n")[0]})`,
      );
    }
  }
});
