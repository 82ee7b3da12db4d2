/**
 * The READMEs against their records: every figure in a table row of a README (every tracked `README.md`: the
 * project's, `results/README.md`, `results/study/README.md`, …) that names a record under results/ equals that
 * record's value at the precision the README prints. A changed record, or a mistyped digit, fails it.
 *
 * How a row maps to record values:
 * - **Tables** are Markdown tables (a header row, a `|---|` row, body rows; `\|` is not a cell border), outside
 *   fenced code.
 * - **Records of a row**: every `results/<path>.json` written in it (link, code span or text), every link to a
 *   `.json` file that resolves under results/ from the README's folder (`[run](runs/fer-…@1.json)` in
 *   results/study/), and every run id (`20261130-035645-synthetic-synthetic-ddc6`), which names
 *   `results/runs/<id>.json`. Each must exist. A row naming none is not checked. A cell that names records of its own is checked against those (one run per cell,
 *   as in Table 5); the other cells against all the row's records.
 * - **Checked cells**: every cell but those under a descriptive header (see {@link DESCRIPTIVE}: what, how,
 *   setting, record, …), which describe the measurement and may hold other numbers.
 * - **Figures** are the numbers of a checked cell outside code spans, link targets and record names: `96.2%`,
 *   `0.962`, `8,160`, `−1.6`, and ranges `3.3–5.7×` (one figure). Numbers inside names and settings are not
 *   figures: `F3`, `P=8`, `CK+48`, `6×6`, `48 px`.
 * - **Values**: per kind of record, {@link CITABLE} lists the values a README may cite, each read from the
 *   record's JSON by a named path (`result.accuracy`, `folds[].accuracy`, `peers.<peer>.macroF1`); a record of
 *   another kind offers every number it holds. A figure matches a value when the value prints the same at the
 *   figure's decimals: fractions as they are (0.962) or in percent (96.2, with or without `%`). A range matches
 *   the smallest and largest of one list of values (the folds, the classes, the operators).
 * - Every figure must match a value of its records; the failure names the figure, its row and the candidates.
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;

/** Headers of the columns that describe a measurement (what it is, how and where it ran): not checked. */
export const DESCRIPTIVE: RegExp =
  /^(what|how|result|row|cell|setting|settings|record|records|run|source|notes?|command|protocol)\b/i;

/** A record's citable values: one number, or a list whose elements (and min–max, for ranges) may be cited. */
type Values = Record<string, number | number[]>;
// deno-lint-ignore no-explicit-any
type Json = any;

const num = (x: unknown): number[] => typeof x === "number" ? [x] : [];

/** Per kind of record (path under the project root), the values a README may cite and where they are read. */
export const CITABLE: { kind: string; path: RegExp; values: (rec: Json, row: string) => Values }[] = [
  {
    kind: "engine run record",
    path: /^results\/(runs|study\/runs)\/[^/]+\.json$/,
    values: (r) => ({
      "result.accuracy": num(r.result?.accuracy),
      "result.macroF1": num(r.result?.macroF1),
      "chance (1 / result.labels)": r.result?.labels ? [1 / r.result.labels.length] : [],
      "accuracyWithoutTta[]": r.accuracyWithoutTta ?? [],
      "mean.accuracy": num(r.mean?.accuracy),
      "mean.macroF1": num(r.mean?.macroF1),
      "std.accuracy": num(r.std?.accuracy),
      "std.macroF1": num(r.std?.macroF1),
      "folds[].accuracy": (r.folds ?? []).map((f: Json) => f.accuracy),
      "epochs": num(r.epochs),
      "minutes (seconds / 60)": num(r.seconds / 60),
      "train accuracy at the end (history[last].accuracy)": num(r.history?.at(-1)?.accuracy),
      "attention.ratio": num(r.attention?.ratio),
      "attention.centre": num(r.attention?.centre),
      "attention.ceiling": num(r.attention?.ceiling),
    }),
  },
  {
    kind: "peers record (bench/peers_publictest.ts)",
    path: /^results\/peers\/[^/]+\.json$/,
    values: (r, row) => {
      // a row that names one peer cites that peer's numbers only
      const named = Object.keys(r.peers).filter((p) => row.includes(p));
      const out: Values = {};
      for (const p of named.length === 1 ? named : Object.keys(r.peers)) {
        out[`peers.${p}.accuracy`] = r.peers[p].accuracy;
        out[`peers.${p}.macroF1`] = r.peers[p].macroF1;
        out[`peers.${p}.n`] = r.peers[p].n;
      }
      return out;
    },
  },
  {
    kind: "ship record (tools/ship_model.ts)",
    path: /^results\/shipped\/[^/]+\.json$/,
    values: (r) => {
      const out: Values = {};
      for (const w of ["shipped", "float32"]) {
        for (const v of ["tencrop", "single"]) {
          out[`${w}.${v}.accuracy`] = r[w][v].accuracy;
          out[`${w}.${v}.macroF1`] = r[w][v].macroF1;
        }
      }
      out["bytes (MB)"] = r.bytes / 1e6;
      return out;
    },
  },
  {
    kind: "LBP bench record (bench/lbp.ts)",
    path: /^results\/bench\/lbp[^/]*\.json$/,
    values: (r) => ({
      "images": r.images,
      "results[].ratio": r.results.map((x: Json) => x.ratio),
      "results[].ratio of the operators with a scikit-image twin (not original)": r.results
        .filter((x: Json) => x.operator !== "original").map((x: Json) => x.ratio),
      "results[].images_per_s": r.results.map((x: Json) => x.images_per_s),
      "results[].skimage_images_per_s": r.results.map((x: Json) => x.skimage_images_per_s),
    }),
  },
  {
    kind: "attention record (bench/attention.ts)",
    path: /^results\/attention\/[^/]+\.json$/,
    values: (r) => {
      const out: Values = {};
      for (const net of ["trained", "untrained"]) {
        const s = r[net];
        out[`${net}.overall.meanRatio`] = s.overall.meanRatio;
        out[`${net}.overall.shareAboveUniform`] = s.overall.shareAboveUniform;
        out[`${net}.byClass[].meanRatio`] = Object.values(s.byClass).map((c: Json) => c.meanRatio);
        out[`${net}.references.uniform/centre`] = [s.references.uniform.meanRatio, s.references.centre.meanRatio];
      }
      const res = r.trained.network.result;
      out["trained.network.result"] = [res.accuracy, res.macroF1, ...res.accuracyWithoutTta];
      return out;
    },
  },
];

/** Every number in a record but its machine and load (the fallback for kinds without a CITABLE entry). */
function allNumbers(rec: Json): Values {
  const out: Values = {};
  const walk = (x: Json, path: string) => {
    if (typeof x === "number") out[path] = x;
    else if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (x && typeof x === "object") {
      for (const [k, v] of Object.entries(x)) if (k !== "machine") walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(rec, "");
  return out;
}

/** A README table row: its line number, header and cells. */
export interface Row {
  line: number;
  header: string[];
  cells: string[];
}

const cellsOf = (line: string) => line.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/);

/** The body rows of every Markdown table outside fenced code. */
export function tableRows(md: string): Row[] {
  const lines = md.split("\n");
  const rows: Row[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i])) fenced = !fenced;
    if (fenced || !lines[i].startsWith("|") || !/^\|\s*:?-{3,}/.test(lines[i + 1] ?? "")) continue;
    const header = cellsOf(lines[i]).map((h) => h.trim());
    for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
      rows.push({ line: i + 1, header, cells: cellsOf(lines[i]) });
    }
  }
  return rows;
}

const RECORD_PATH = /results\/[\w@.\/-]+?\.json/g;
const RUN_ID = /\b\d{8}-\d{6}-[a-z0-9-]+-[0-9a-f]{4}\b/g;

const JSON_LINK = /\]\(([^)\s]+\.json)\)/g;

/**
 * The records a text names: `results/….json` paths, links to JSON files under results/ resolved from `dir`
 * (the README's folder, relative to the project root), and run ids (as `results/runs/<id>.json`).
 */
export function recordsIn(text: string, dir = "."): string[] {
  const paths = [...text.matchAll(RECORD_PATH)].map((m) => m[0]);
  const links = [...text.matchAll(JSON_LINK)].map((m) => normalize(join(dir, m[1])))
    .filter((p) => p.startsWith("results/"));
  const ids = [...text.matchAll(RUN_ID)].map((m) => `results/runs/${m[0]}.json`);
  return [...new Set([...paths, ...links, ...ids])];
}

/** A figure as printed: its text (commas dropped, minus as "-") and, for a range, its upper end. */
export interface Figure {
  text: string;
  to?: string;
}

const DIGITS = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/y;

/** The figures of a cell (see the module doc for what is and is not one). */
export function figuresIn(cell: string): Figure[] {
  const t = cell.replace(/`[^`]*`/g, " ").replace(/\]\([^)]*\)/g, "]").replace(RECORD_PATH, " ").replace(RUN_ID, " ")
    .replaceAll("**", "");
  const out: Figure[] = [];
  const numberAt = (i: number): { text: string; end: number } | null => {
    DIGITS.lastIndex = i;
    const m = DIGITS.exec(t);
    return m ? { text: m[0].replaceAll(",", ""), end: i + m[0].length } : null;
  };
  const nameChar = (c: string | undefined) => c !== undefined && /[\p{L}\d_=×.^]/u.test(c);
  for (let i = 0; i < t.length; i++) {
    if (!/\d/.test(t[i]) || nameChar(t[i - 1])) continue;
    let sign = "";
    if (/[−+-]/.test(t[i - 1] ?? "")) {
      if (nameChar(t[i - 2])) continue; // CK+48, k-1
      sign = t[i - 1] === "+" ? "" : "-";
    }
    const a = numberAt(i)!;
    let end = a.end;
    let to: string | undefined;
    if (/[–-]/.test(t[end] ?? "") && /\d/.test(t[end + 1] ?? "")) {
      const b = numberAt(end + 1)!;
      to = b.text;
      end = b.end;
    }
    const next = t[end];
    i = end;
    if (next === "×" && /\d/.test(t[end + 1] ?? "")) { // 6×6, 48×48: a size
      i = numberAt(end + 1)?.end ?? end;
      continue;
    }
    if (next !== undefined && /[\p{L}_]/u.test(next)) continue; // 3x, 48px, 2nd
    if (/^\s(px|pixels)\b/.test(t.slice(end, end + 8))) continue;
    out.push(to === undefined ? { text: sign + a.text } : { text: sign + a.text, to });
  }
  return out;
}

/** Whether `v` prints as `text` at its decimals, as it is or in percent. */
function prints(v: number, text: string): boolean {
  const d = text.includes(".") ? text.length - text.indexOf(".") - 1 : 0;
  const same = (x: number) => x.toFixed(d) === text || (x.toFixed(d) === "-0" + text.slice(1) && text === "0");
  return same(v) || same(100 * v);
}

/** Whether a figure matches one of the values: a scalar for a number, a list's min and max for a range. */
export function matches(f: Figure, values: Values): boolean {
  for (const v of Object.values(values)) {
    const list = Array.isArray(v) ? v : [v];
    if (list.length === 0) continue;
    if (f.to === undefined && list.some((x) => prints(x, f.text))) return true;
    if (f.to !== undefined && prints(Math.min(...list), f.text) && prints(Math.max(...list), f.to)) return true;
  }
  return false;
}

/** The values of a record file, by its kind. */
async function recordValues(path: string, row: string): Promise<Values> {
  let rec: Json;
  try {
    rec = JSON.parse(await Deno.readTextFile(join(ROOT, path)));
  } catch (err) {
    throw new Error(`${path}: named in the README, but not a readable JSON record (${err})`);
  }
  const kind = CITABLE.find((k) => k.path.test(path));
  return kind ? kind.values(rec, row) : allNumbers(rec);
}

/**
 * Every figure of a README's record rows that matches no value of its records, as a readable line; `file` is the
 * README's path from the project root (links resolve from its folder).
 */
export async function mismatches(md: string, file = "README.md"): Promise<string[]> {
  const bad: string[] = [];
  const dir = dirname(file);
  for (const row of tableRows(md)) {
    const rowRecords = recordsIn(row.cells.join("|"), dir);
    if (rowRecords.length === 0) continue;
    for (const [c, cell] of row.cells.entries()) {
      if (DESCRIPTIVE.test(row.header[c] ?? "")) continue;
      const records = recordsIn(cell, dir).length > 0 ? recordsIn(cell, dir) : rowRecords;
      const values: Values = {};
      for (const r of records) {
        for (const [k, v] of Object.entries(await recordValues(r, row.cells[0]))) values[`${r}: ${k}`] = v;
      }
      for (const f of figuresIn(cell)) {
        if (matches(f, values)) continue;
        const shown = f.to === undefined ? f.text : `${f.text}–${f.to}`;
        const candidates = Object.entries(values).filter(([, v]) => !Array.isArray(v) || v.length > 0)
          .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.map((x) => +x.toPrecision(6)).join(", ")}]` : v}`);
        bad.push(
          `${file}:${row.line}, column "${row.header[c]}": ${shown} matches no value of ${records.join(", ")}\n` +
            `  cell: ${cell.trim()}\n  values: ${candidates.join("; ")}`,
        );
      }
    }
  }
  return bad;
}

/** Every README.md that git tracks, as paths from the project root. */
async function readmes(): Promise<string[]> {
  const out = await new Deno.Command("git", { args: ["ls-files", "--", "README.md", "*/README.md"], cwd: ROOT })
    .output();
  assert.ok(out.success, `git ls-files failed in ${ROOT}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

Deno.test("every figure in a README table row that names a record equals the record at the printed precision", async () => {
  const files = await readmes();
  const checked: Record<string, number> = {};
  const bad: string[] = [];
  for (const file of files) {
    const md = await Deno.readTextFile(join(ROOT, file));
    const rows = tableRows(md).filter((r) => recordsIn(r.cells.join("|"), dirname(file)).length > 0);
    if (rows.length > 0) checked[file] = rows.length;
    bad.push(...await mismatches(md, file));
  }
  // the project's README and the study's FER2013 table are among the checked tables
  assert.ok(checked["README.md"] >= 20, `README.md: ${checked["README.md"]} record rows`);
  assert.ok(checked["results/study/README.md"] >= 4, JSON.stringify(checked));
  assert.deepEqual(bad, [], `\n${bad.join("\n")}`);
});

Deno.test("the check fails when one digit of a figure differs from its record", async () => {
  const md = [
    "| run | subject-independent |",
    "| --- | --- |",
    "| full | **90.60 ± 3.07%** (95.2 / 90.5 / 91.4 / 89.1 / 86.9) — `20261129-220536-ckplus-full-subject-9f83` |",
    "| holdout | 78.4% (macro-F1 0.590), chance 14%, 12 epochs, 6×6 grid, P=8, CK+48 — `results/runs/20261130-033903-ckplus-ckplus48-holdout-d1f2.json` |",
  ];
  assert.deepEqual(await mismatches(md.join("\n")), []);
  const typo = md.with(2, md[2].replace("89.1", "89.2")).join("\n");
  const bad = await mismatches(typo);
  assert.equal(bad.length, 1, bad.join("\n"));
  assert.match(bad[0], /^README\.md:3, column "subject-independent": 89\.2 matches no value/);
  const range = md.with(3, md[3].replace("78.4%", "78.4–90.5%")).join("\n");
  assert.equal((await mismatches(range)).length, 1, "a range is the min and max of one list, not any two values");
});

Deno.test("a README below the root names records by links from its folder; a mistyped digit there fails", async () => {
  const md = [
    "| cell | PublicTest ten-crop / single view | macro-F1 | train accuracy at the end | minutes | record |",
    "| --- | --- | --- | --- | --- | --- |",
    "| fer-w25-crop-ls-e6 (width 0.25) | 58.15% / 55.00% | 0.476 | 58.2% | 107 | [r](runs/fer-w25-crop-ls-e6@1.json) |",
  ];
  assert.deepEqual(recordsIn(md[2], "results/study"), ["results/study/runs/fer-w25-crop-ls-e6@1.json"]);
  assert.deepEqual(recordsIn(md[2], "."), [], "from the root the same link is not a record");
  assert.deepEqual(await mismatches(md.join("\n"), "results/study/README.md"), []);
  for (const [from, to] of [["58.15%", "58.16%"], ["58.2%", "58.3%"], ["| 107 |", "| 106 |"]]) {
    const bad = await mismatches(md.with(2, md[2].replace(from, to)).join("\n"), "results/study/README.md");
    assert.equal(bad.length, 1, `${to}: ${bad.join("\n")}`);
    assert.match(
      bad[0],
      /^results\/study\/README\.md:3, column "[^"]+": [\d.]+ matches no value of results\/study\/runs\//,
    );
  }
});

Deno.test("the committed peers, LBP and attention records map onto rows; a row naming one peer cites only its numbers", async () => {
  const md = [
    "| what | measured | record |",
    "| --- | --- | --- |",
    "| peer: human | 65.28%, macro-F1 64.64% | [r](results/peers/fer2013-publictest.json) |",
    "| peer: face-api | 58.26%, macro-F1 53.40% | [r](results/peers/fer2013-publictest.json) |",
    "| LBP | 3.64–5.44× (circle P=8 R=1: 18,870 vs 4,707 img/s) | `results/bench/lbp-publictest-2026-12-06.json` |",
    "| F_m | 1.40 (per class 1.29–1.57); untrained 1.01; centred 2.14 | `results/attention/main-job-20261206-8b71.json` |",
  ];
  assert.deepEqual(await mismatches(md.join("\n")), []);
  const swapped = md.with(2, md[2].replace("65.28%", "58.26%")).join("\n");
  assert.match((await mismatches(swapped))[0] ?? "", /README\.md:3, column "measured": 58\.26 matches no value/);
});

Deno.test("figures: percentages, ranges, thousands and signs; not sizes, names or settings", () => {
  assert.deepEqual(figuresIn("**96.2% held-out** (88.3%; chance 14%), macro-F1 0.962; F_m ratio 1.57"), [
    { text: "96.2" },
    { text: "88.3" },
    { text: "14" },
    { text: "0.962" },
    { text: "1.57" },
  ]);
  assert.deepEqual(figuresIn("3.3–5.7× faster (circle P=8 R=1: 8,160 vs 2,345 img/s), −1.6 to +5.4"), [
    { text: "3.3", to: "5.7" },
    { text: "8160" },
    { text: "2345" },
    { text: "-1.6" },
    { text: "5.4" },
  ]);
  assert.deepEqual(figuresIn("F3 skip, CK+48, 6×6 grid, 48 px, `--epochs 30`, [x](results/a-1.json), 2nd"), []);
});
