/**
 * What `fer train` and `fer evaluate` read into an experiment spec from their flags: the data part
 * (`--dataset KIND --root DIR --n N`), a spec file (`--config FILE`), and the rule that a flag not given
 * overrides nothing.
 *
 * @example
 * ```ts
 * datasetFlagsSpec({ dataset: "synthetic", n: "70" }); // { dataset: "synthetic", n: 70 }
 * ```
 * @module
 */
import type { DatasetKind } from "../data/kinds.ts";
import type { DatasetSpec, SpecInput } from "../experiment/spec.ts";
import { readJsonFile } from "../util/mod.ts";
import { numberFlag } from "./command.ts";

/** An object of the given entries whose value is defined (a flag not given overrides nothing). */
export function given<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/** The dataset part of a spec from `--dataset KIND --root DIR --n N`. */
export function datasetFlagsSpec(v: { dataset?: string; root?: string; n?: string }): Partial<DatasetSpec> {
  return given({ dataset: v.dataset as DatasetKind | undefined, root: v.root, n: numberFlag(v.n, "n") });
}

/** Reads a JSON experiment spec file; an error names the file and what was expected. */
export async function readSpecFile(path: string): Promise<SpecInput> {
  return await readJsonFile(
    path,
    "the config, expected a JSON experiment spec {dataset?, model?, train?, protocol?}",
  ) as SpecInput;
}
