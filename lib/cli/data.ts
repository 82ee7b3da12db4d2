/**
 * `deno task fer data …`: dataset summaries and fold checks from the shell.
 *
 * @example
 * ```sh
 * deno task fer data summary --dataset fer2013 --root ../shared/datasets/fer2013 --json
 * deno task fer data summary --dataset ckplus --root ../shared/datasets/ckplus48 --folds 5 --by subject
 * deno task fer data summary --dataset synthetic --n 700 --seed 1
 * deno task fer data summary --dataset ckplus --root ../shared/datasets/ckplus48 --verify
 * deno task fer data export --dataset synthetic --n 700 --seed 1 --out outputs/synthetic
 * deno task fer data pack --dataset ckplus --size 48 --out build/ckplus48.ferpack
 * ```
 * @module
 */
import { type Command, DATA_FLAGS, flags, numberFlag, oneOf, required } from "./command.ts";
import { DATASET_KINDS, type DatasetKind } from "../data/kinds.ts";
import { loadDataset } from "../data/load.ts";
import { summarize, summaryText } from "../data/summary.ts";
import { kFold, subjectOverlap } from "../data/routing.ts";
import type { Dataset } from "../data/dataset.ts";
import { exportDataset } from "../data/export.ts";
import { writePack } from "../data/pack.ts";
import { verifyImages } from "../data/verify.ts";

const HELP = `usage: deno task fer data summary --dataset <${DATASET_KINDS.join("|")}> [--root PATH] [options]
       deno task fer data export --dataset <…> [--root PATH] --out DIR [--size S]
                         write images/<class>/*.png (+ masks/ for synthetic) and samples.json
       deno task fer data pack --dataset <…> [--root PATH] --out FILE.ferpack [--size S]
                         write labels, subjects, splits and SxS grey pixels (default 48) to one file
                         that loads with no image decoder (tools/gpu_check.ts --learn on a GPU box)

  --json                 print the summary as JSON
  --verify               decode every image and list the ones that fail (exit 1 if any does)
  --folds K --by random|subject [--seed N]
                         also build K stratified folds; prints fold sizes and per-class counts,
                         and (by subject) checks that no subject is in two folds (exit 1 if one is)
  --split NAME           fer2013: keep only this split (repeatable)
  --last-k K             ckplus (original), oulu, sequences: frames per sequence (default 3)
  --drop-contempt        ckplus: 6-class protocol
  --modality VIS|NI --illumination Strong|Weak|Dark   oulu
  --n N --size S --seed N                             synthetic (default 1000 faces, 48 px, seed 0)`;

/** Fold sizes and per-class counts of a k-fold split, plus the subjects found in two folds. */
export interface FoldReport {
  k: number;
  by: "random" | "subject";
  seed: number;
  sizes: number[];
  /** perClass[fold][class name] */
  perClass: Record<string, number>[];
  overlap: string[];
}

/** Builds the fold report printed by `data summary --folds`. */
export function foldReport(ds: Dataset, opts: { k: number; by: "random" | "subject"; seed: number }): FoldReport {
  const folds = kFold(ds.samples, opts);
  return {
    ...opts,
    sizes: folds.map((f) => f.length),
    perClass: folds.map((f) => {
      const c = Object.fromEntries(ds.classes.map((n) => [n, 0]));
      for (const i of f) c[ds.classes[ds.samples[i].label]]++;
      return c;
    }),
    overlap: subjectOverlap(ds.samples, folds),
  };
}

/** The `data` command. */
export const command: Command = {
  name: "data",
  summary: "dataset summaries and fold checks",
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === "--help" || sub === "-h" || sub === undefined) {
      console.log(HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "summary" && sub !== "export" && sub !== "pack") {
      throw new Error(`unknown subcommand "${sub}"; expected summary, export or pack\n\n${HELP}`);
    }
    const f = flags(rest, {
      ...DATA_FLAGS,
      json: { type: "boolean" },
      folds: { type: "string" },
      by: { type: "string" },
      seed: { type: "string" },
      split: { type: "string", multiple: true },
      "last-k": { type: "string" },
      "drop-contempt": { type: "boolean" },
      modality: { type: "string" },
      illumination: { type: "string" },
      size: { type: "string" },
      out: { type: "string" },
      verify: { type: "boolean" },
    }, { help: HELP });
    if (!f) return 0;
    const v = f.values;
    const kind = required(v, "dataset") as DatasetKind;
    const seed = int(v.seed, "seed") ?? 0;
    const size = int(v.size, "size");
    const ds = await loadDataset({
      dataset: kind,
      root: v.root,
      splits: v.split,
      lastK: int(v["last-k"], "last-k"),
      dropContempt: v["drop-contempt"],
      modality: oneOf(v.modality, "modality", ["VIS", "NI"] as const),
      illumination: oneOf(v.illumination, "illumination", ["Strong", "Weak", "Dark"] as const),
      n: int(v.n, "n"),
      size,
      seed,
    });
    if (sub === "pack") {
      const out = required(v, "out");
      const h = await writePack(ds, { out, size: size ?? 48 });
      console.log(`wrote ${h.samples.length} samples of ${ds.name} at ${h.size}x${h.size} to ${out}`);
      return 0;
    }
    if (sub === "export") {
      const out = required(v, "out");
      const rows = await exportDataset(ds, { out, size });
      console.log(`wrote ${rows.length} images${ds.loadMask ? " and masks" : ""} of ${ds.name} to ${out}`);
      return 0;
    }
    const summary = summarize(ds);
    const k = int(v.folds, "folds");
    const by = oneOf(v.by, "by", ["random", "subject"] as const) ?? "random";
    if (v.by && k === undefined) throw new Error("--by needs --folds K");
    const folds = k === undefined ? undefined : foldReport(ds, { k, by, seed });
    const verify = v.verify ? await verifyImages(ds) : undefined;
    if (v.json) {
      console.log(JSON.stringify({ ...summary, ...(folds ? { folds } : {}), ...(verify ? { verify } : {}) }, null, 2));
    } else {
      console.log(
        `${summary.name} at ${summary.root}: ${summary.total} images, ${summary.classes.length} classes` +
          (summary.subjects !== null ? `, ${summary.subjects} subjects` : "") +
          (summary.sequences !== null ? `, ${summary.sequences} sequences` : ""),
      );
      console.log(summaryText(summary));
      if (folds) {
        console.log(`\n${folds.k}-fold (${folds.by}, seed ${folds.seed}):`);
        folds.sizes.forEach((s, i) => {
          const per = Object.entries(folds.perClass[i]).map(([c, n]) => `${c}=${n}`).join(" ");
          console.log(`  fold ${i}: ${s} images  ${per}`);
        });
        if (by === "subject" || folds.overlap.length) {
          console.log(
            folds.overlap.length ? `subjects in two folds: ${folds.overlap.join(", ")}` : "subject overlap: none",
          );
        }
      }
      if (verify) {
        const n = verify.decoded + verify.rejected.length, bad = verify.rejected.length;
        console.log(`verify: ${verify.decoded} of ${n} images decode${bad ? `, ${bad} rejected:` : ""}`);
        for (const r of verify.rejected) console.log(`  ${r}`);
      }
    }
    if (verify?.rejected.length) return 1;
    return folds && by === "subject" && folds.overlap.length > 0 ? 1 : 0;
  },
};

const int = (s: string | undefined, flag: string) => numberFlag(s, flag, { integer: true });
