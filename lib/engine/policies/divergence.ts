/**
 * The divergence guard: cross-entropy is clipped, so a learning rate far too high does not make the
 * loss NaN — it climbs to several times that of guessing (ln k for k classes) and stays there while
 * the weights explode. The guard stops training when the batch loss has stayed above `factor × ln k`
 * for `batches` optimiser steps in a row, and says where the last good checkpoint is: no checkpoint is
 * written while the loss is above the limit (a resumed run replays the epoch, so skipping one costs
 * time only), so the one on disk predates the climb.
 *
 * @example
 * ```ts
 * const guard = new DivergenceGuard(7);          // 3 × ln 7 = 5.84, for 6 batches
 * const d = guard.observe({ epoch: 1, batch: 4, loss: 13.4 });
 * if (d) throw new Error(divergenceMessage(d, { lr: 10, checkpoint: null }));
 * ```
 * @module
 */

/** Options of {@link DivergenceGuard}. */
export interface DivergenceOptions {
  /** The limit in units of ln k, the loss of guessing (default 3). */
  factor?: number;
  /** Batches in a row above the limit that stop training (default 6). */
  batches?: number;
}

/** One optimiser step's place and loss. */
export interface BatchLoss {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based batch of the epoch. */
  batch: number;
  loss: number;
}

/** A divergence: the run of batches above the limit. */
export interface Divergence {
  from: BatchLoss;
  to: BatchLoss;
  limit: number;
  factor: number;
  batches: number;
  numClasses: number;
}

/** Watches batch losses; see the module doc. */
export class DivergenceGuard {
  readonly factor: number;
  readonly batches: number;
  readonly limit: number;
  #first: BatchLoss | null = null;
  #count = 0;

  constructor(readonly numClasses: number, o: DivergenceOptions = {}) {
    this.factor = o.factor ?? 3;
    this.batches = o.batches ?? 6;
    this.limit = this.factor * Math.log(numClasses);
  }

  /** True while the last batches' loss is above the limit: the weights may be going bad. */
  get climbing(): boolean {
    return this.#count > 0;
  }

  /** Feeds one batch's loss; returns the divergence once the loss has stayed above the limit long enough. */
  observe(b: BatchLoss): Divergence | null {
    if (!(b.loss > this.limit)) {
      this.#first = null;
      this.#count = 0;
      return null;
    }
    this.#first ??= b;
    if (++this.#count < this.batches) return null;
    return {
      from: this.#first,
      to: b,
      limit: this.limit,
      factor: this.factor,
      batches: this.batches,
      numClasses: this.numClasses,
    };
  }
}

/** The one-line error of a divergence; `checkpoint` is the last one written (null when none was). */
export function divergenceMessage(
  d: Divergence,
  o: { lr: number; checkpoint: { path: string; epoch: number } | null },
): string {
  const at = (b: BatchLoss) => `epoch ${b.epoch} batch ${b.batch}`;
  const ck = o.checkpoint;
  const good = ck
    ? `The last good checkpoint is ${ck.path} (epoch ${ck.epoch}).`
    : "No checkpoint was written before it.";
  return `training diverged: the batch loss stayed above ${d.limit.toFixed(2)} (${d.factor} × ln ${d.numClasses}, ` +
    `guessing scores ${Math.log(d.numClasses).toFixed(2)}) for ${d.batches} batches in a row, from ${at(d.from)} ` +
    `to ${at(d.to)} (last ${d.to.loss.toFixed(2)}, lr ${o.lr}). ${good} Lower the learning rate and start a new run.`;
}
