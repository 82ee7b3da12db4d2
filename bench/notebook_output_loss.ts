/**
 * Measures lost cell results when executing a notebook with the Deno kernel: a generated notebook with
 * `--cells` result cells (each `i * 7 + 1`) is executed `--runs` times by each variant, and every cell whose
 * saved outputs lack the expected `execute_result` counts as lost. Prints JSON.
 *
 * Variants: `nbconvert` (jupyter nbconvert --execute, nbclient), `runner-nograce` (tools/nb_exec.py with a
 * zero grace period: waits for reply + idle and routes late messages by parent id), `runner` (default grace).
 *
 * @example
 * ```sh
 * deno run -A bench/notebook_output_loss.ts --runs 20 --cells 12
 * ```
 * @module
 */
import { runNotebook } from "../tools/notebooks.ts";
import { Progress } from "../lib/util/mod.ts";
import { scriptArgs } from "../tools/args.ts";

const { values } = scriptArgs(Deno.args, {
  command: "deno run -A bench/notebook_output_loss.ts",
  summary: "Lost cell results when the Deno kernel executes a generated notebook, per variant, as JSON.",
  options: {
    runs: { type: "number", default: 20, min: 1, integer: true, help: "executions per variant" },
    cells: { type: "number", default: 12, min: 1, integer: true, help: "result cells in the notebook" },
    variants: { type: "string", default: "nbconvert,runner-nograce,runner", help: "comma list" },
  },
});
const runs = values.runs;
const nCells = values.cells;
const variants = values.variants.split(",");

/** Writes the test notebook; returns its path. */
async function generate(dir: string): Promise<string> {
  const cells = [{ cell_type: "markdown", metadata: {}, source: ["# output-loss probe"] }];
  for (let i = 0; i < nCells; i++) {
    cells.push(
      { cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: [`${i} * 7 + 1`] } as never,
    );
  }
  const nb = {
    cells,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const path = `${dir}/probe.ipynb`;
  await Deno.writeTextFile(path, JSON.stringify(nb, null, 1));
  return path;
}

/** Number of result cells without their expected value in the executed notebook. */
async function lost(path: string): Promise<number> {
  const nb = JSON.parse(await Deno.readTextFile(path));
  // deno-lint-ignore no-explicit-any
  const code = nb.cells.filter((c: any) => c.cell_type === "code");
  let missing = 0;
  code.forEach((c: { outputs: { output_type: string; data?: Record<string, string | string[]> }[] }, i: number) => {
    // deno-lint-ignore no-control-regex
    const text = (t: string | string[]) => (Array.isArray(t) ? t.join("") : t).replace(/\x1b\[[0-9;]*m/g, "");
    const ok = c.outputs.some((o) =>
      o.output_type === "execute_result" && text(o.data?.["text/plain"] ?? "") === String(i * 7 + 1)
    );
    if (!ok) missing++;
  });
  return missing;
}

async function nbconvert(src: string, out: string): Promise<void> {
  await Deno.copyFile(src, out);
  const r = await new Deno.Command("jupyter", {
    args: ["nbconvert", "--to", "notebook", "--execute", "--inplace", "--ExecutePreprocessor.kernel_name=deno", out],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (r.code !== 0) throw new Error(`nbconvert failed: ${new TextDecoder().decode(r.stderr).slice(-1000)}`);
}

const dir = await Deno.makeTempDir({ prefix: "nb-loss-" });
const src = await generate(dir);
const report: Record<string, unknown> = { runs, resultCells: nCells };
for (const v of variants) {
  const perRun: number[] = [];
  const p = new Progress({ label: v, total: runs, unit: "run" });
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const out = `${dir}/${v}-${r}.ipynb`;
    if (v === "nbconvert") await nbconvert(src, out);
    else {
      const res = await runNotebook({ path: src, outPath: out, graceS: v === "runner-nograce" ? 0 : undefined });
      if (!res.ok) throw new Error(`run ${r} failed: ${JSON.stringify(res.error)}`);
    }
    perRun.push(await lost(out));
    p.tick(1, { lost: perRun.reduce((a, b) => a + b, 0) });
  }
  p.done();
  report[v] = {
    lostTotal: perRun.reduce((a, b) => a + b, 0),
    runsWithLoss: perRun.filter((x) => x > 0).length,
    perRun,
    secondsPerRun: +((performance.now() - t0) / 1000 / runs).toFixed(2),
  };
}
await Deno.remove(dir, { recursive: true });
console.log(JSON.stringify(report, null, 1));
