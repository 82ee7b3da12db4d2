/**
 * The quickstart chapter's toy problem: procedural patterns in three classes and a nearest-mean
 * classifier, real computation small enough to run in a second.
 *
 * Direct imports from other folders (the rest goes through this mod.ts): none.
 *
 * @example
 * ```ts
 * import { fitNearestMean, toyPatterns } from "../lib/quickstart/mod.ts";
 * const model = fitNearestMean(toyPatterns({ perClass: 20, rng }));
 * ```
 * @module
 */
export {
  fitNearestMean,
  type NearestMeanModel,
  predictNearestMean,
  TOY_CLASSES,
  type ToyOptions,
  toyPatterns,
  type ToySet,
} from "./toy.ts";
