/**
 * The models this repository ships under `models/`, by name: `--model fer2013` names `models/fer2013/` (issue 25).
 * Any other `--model` value is a saved-model folder.
 *
 * @example
 * ```ts
 * modelDir("fer2013"); // "<repository>/models/fer2013"
 * modelDir("outputs/runs/<id>/model"); // unchanged
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";

/** The shipped models' names. */
export const SHIPPED_MODELS = ["fer2013"] as const;

/** A shipped model's name. */
export type ShippedModel = typeof SHIPPED_MODELS[number];

/** The folder of a shipped model, inside this repository. */
export function shippedModelDir(name: ShippedModel): string {
  return fileURLToPath(new URL(`../../models/${name}`, import.meta.url));
}

/** `--model`'s value as a folder: a shipped model's name gives its folder; anything else is a folder already. */
export function modelDir(nameOrDir: string): string {
  return (SHIPPED_MODELS as readonly string[]).includes(nameOrDir)
    ? shippedModelDir(nameOrDir as ShippedModel)
    : nameOrDir;
}
