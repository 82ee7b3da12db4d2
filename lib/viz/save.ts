/**
 * Writing figures to disk as PNG + SVG, under the project's `outputs/` unless a path with a folder is given.
 *
 * @example
 * ```ts
 * await saveFigure(fig, "confusion");              // outputs/confusion.png, outputs/confusion.svg
 * await saveFigure(fig, "outputs/run1/curves.png"); // outputs/run1/curves.png, outputs/run1/curves.svg
 * ```
 * @module
 */
import type { Figure } from "./figure.ts";

/**
 * Folder that bare figure names are written to: the project's `outputs/` whatever the working directory
 * (notebooks run in `notebooks/`); env `FER_OUTPUTS` overrides.
 *
 * @example
 * ```ts
 * outputsDir(); // "/home/me/fer/outputs"
 * ```
 */
export function outputsDir(): string {
  return Deno.env.get("FER_OUTPUTS") ?? new URL("../../outputs", import.meta.url).pathname.replace(/\/$/, "");
}

/**
 * Writes `<base>.png` and `<base>.svg` (creating folders) and returns the two paths. A bare name
 * (no `/`) goes under {@link outputsDir}; a `.png`/`.svg` extension is stripped from the base.
 *
 * @example
 * ```ts
 * const [png, svg] = await saveFigure(fig, "class_counts");
 * ```
 */
export async function saveFigure(fig: Figure, path: string): Promise<string[]> {
  if (path.trim() === "") throw new Error("saveFigure: empty path");
  let base = path.replace(/\.(png|svg)$/i, "");
  if (!base.includes("/")) base = `${outputsDir()}/${base}`;
  const dir = base.slice(0, base.lastIndexOf("/"));
  if (dir) await Deno.mkdir(dir, { recursive: true });
  const png = `${base}.png`, svg = `${base}.svg`;
  await Deno.writeFile(png, fig.png);
  await Deno.writeTextFile(svg, fig.svg);
  return [png, svg];
}
