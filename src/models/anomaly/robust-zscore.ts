/**
 * Baseline detector from online robust statistics: the distance of each value from an
 * exponentially weighted mean, in units of the exponentially weighted mean absolute deviation,
 * squashed to [0, 1] and passed through the anomaly likelihood. It is the "windowed Gaussian"
 * family of NAB's baselines (39.6) made robust; kept as the reference the contextual detector must beat.
 */
import { createAnomalyLikelihood } from './anomaly-likelihood.ts';
import { checkWarmup, type DetectorOptions, type StreamingDetector } from './detector.ts';

export interface RobustZScoreOptions extends DetectorOptions {
  /** EWMA smoothing factor; 0.05 ≈ a 20-row memory */
  readonly alpha?: number;
  /** deviations (in mean absolute deviations) that count as a full raw score of 1 */
  readonly cutoff?: number;
}

/**
 * @example
 * const d = createRobustZScoreDetector({ warmup: 100 });
 * const scores = values.map((v) => d.update(v));
 */
export function createRobustZScoreDetector(options: RobustZScoreOptions = {}): StreamingDetector {
  const warmup = checkWarmup(options.warmup ?? 750);
  const alpha = options.alpha ?? 0.05;
  const cutoff = options.cutoff ?? 4;
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError('alpha: expected a number in (0, 1]');
  if (!(cutoff > 0)) throw new RangeError('cutoff: expected a positive number');
  const likelihood = createAnomalyLikelihood({ warmup });
  let mean = Number.NaN;
  let deviation = 0;
  return {
    update(value: number): number {
      if (!Number.isFinite(value)) return 0;
      if (Number.isNaN(mean)) mean = value;
      const error = Math.abs(value - mean);
      const raw = deviation > 0 ? Math.min(1, error / (cutoff * deviation)) : 0;
      mean += alpha * (value - mean);
      deviation += alpha * (error - deviation);
      return likelihood(raw);
    },
  };
}
