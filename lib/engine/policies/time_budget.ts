/**
 * The time-budget policy (a fixed-time GPU check): no epoch is started that the last epoch's duration
 * says would end past the wall-clock budget.
 *
 * @example
 * ```ts
 * if (overBudget({ budgetSeconds: 600, spentSeconds: 550, lastEpochSeconds: 60, epochsLeft: 3 })) break;
 * ```
 * @module
 */

/** True when another epoch would end past the budget (never without a budget or after the last epoch). */
export function overBudget(o: {
  budgetSeconds?: number;
  spentSeconds: number;
  lastEpochSeconds: number;
  epochsLeft: number;
}): boolean {
  return o.budgetSeconds !== undefined && o.epochsLeft > 0 && o.spentSeconds + o.lastEpochSeconds > o.budgetSeconds;
}
