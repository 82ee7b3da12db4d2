/**
 * Test-time augmentation: the views of a face a prediction averages. A saved model names the one its accuracy
 * was measured with (fer-config.json's `tta`), and `fer predict`, `fer evaluate` and the web page default to it.
 *
 * @example
 * ```ts
 * TTAS.includes("tencrop"); // true
 * ```
 * @module
 */

/** The test-time augmentations: none, left-right flip, or ten-crop (4 corners + centre, each also flipped). */
export const TTAS = ["none", "flip", "tencrop"] as const;
/** Test-time augmentation, one of {@link TTAS}. */
export type Tta = typeof TTAS[number];

/** A fer-config.json's `tta`, checked: undefined when absent, else one of {@link TTAS} or an error naming `file`. */
export function configTta(value: unknown, file: string): Tta | undefined {
  if (value === undefined) return undefined;
  if (!(TTAS as readonly unknown[]).includes(value)) {
    throw new Error(`${file}: tta must be one of ${TTAS.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as Tta;
}
