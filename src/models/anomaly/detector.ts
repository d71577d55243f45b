/**
 * The streaming detector contract: one pass, bounded memory, causal. `update(value)` returns the
 * anomaly score in [0, 1] of the value just seen, computed from it and the values before it only.
 */
export interface StreamingDetector {
  /** Scores the next value; a non-finite value (a missing reading) scores 0 and changes no state. */
  update(value: number): number;
}

/** Options every detector understands. */
export interface DetectorOptions {
  /**
   * Rows spent learning before any score is emitted (scores are 0 until then). NAB calls it the
   * probationary period: 15% of the file, at most 750 rows (`nabProbation`).
   */
  readonly warmup?: number;
}

/** NAB's probationary period for a series of known length, the default warm-up of `scoreSeries`. */
export function defaultWarmup(length: number): number {
  return Math.min(Math.floor(0.15 * length), 750);
}

export function checkWarmup(warmup: number): number {
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new RangeError(`warmup: expected a non-negative integer, got ${warmup}`);
  return warmup;
}
