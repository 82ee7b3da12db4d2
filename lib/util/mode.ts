/**
 * Run modes read from the environment.
 *
 * `FER_FAST=1` (or `true`/`yes`) asks chapters, the CLI and the notebook runner for the quick variant:
 * small data, a few steps, one epoch — what CI executes.
 *
 * @example
 * ```ts
 * const epochs = fastMode() ? 1 : 30;
 * ```
 * @module
 */

/**
 * True when `FER_FAST` is set to `1`, `true` or `yes`; throws on any other non-empty value so a typo
 * does not silently start a full run.
 *
 * @example
 * ```ts
 * if (fastMode()) console.log("fast mode: small data");
 * ```
 */
export function fastMode(): boolean {
  const v = (Deno.env.get("FER_FAST") ?? "").trim().toLowerCase();
  if (v === "" || v === "0" || v === "false" || v === "no") return false;
  if (v === "1" || v === "true" || v === "yes") return true;
  throw new Error(`FER_FAST must be 1/true/yes or 0/false/no, got "${Deno.env.get("FER_FAST")}"`);
}
