/**
 * Anomaly likelihood: turns a noisy raw score into "how unusual is the recent level of the raw
 * score", after Ahmad, Lavin, Purdy, Agha, "Unsupervised real-time anomaly detection for streaming
 * data", Neurocomputing 262:134–147, 2017, §4.3. The raw score is averaged over a short window; the
 * long-run mean and variance of that average are kept over a long window; the likelihood is one
 * minus the Gaussian tail probability of the current short-run average, reported on a log scale
 * so that 0.5 means a tail of 1e-5. Two alarms in a row are not news: the second is demoted.
 */

export interface AnomalyLikelihoodOptions {
  /** rows before the long-run distribution is first estimated; the output is 0 until then */
  readonly warmup: number;
  /** rows in the short-run average (the paper's W′ = 10) */
  readonly shortWindow?: number;
  /** rows in the long-run distribution (the paper's W = 8640, a month of 5-minute rows) */
  readonly longWindow?: number;
}

/** The paper's floors: a near-silent raw score must not make the slightest blip look certain. */
const MIN_MEAN = 0.03;
const MIN_VARIANCE = 0.0003;
/** Tail probabilities below 1e-5 are "red"; a red right after a red is reported as 1e-3. */
const RED_TAIL = 1e-5;
const DEMOTED_TAIL = 1e-3;
/** log(tail) / log(1e-10): tail 1e-10 (or less) maps to 1, tail 1 to 0. */
const LOG_FLOOR = Math.log(1e-10);

/** Complementary error function, Numerical Recipes `erfcc` (relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * @example
 * const likelihood = createAnomalyLikelihood({ warmup: 750 });
 * const score = likelihood(rawScore);
 */
export function createAnomalyLikelihood(options: AnomalyLikelihoodOptions): (raw: number) => number {
  const warmup = options.warmup;
  const shortWindow = options.shortWindow ?? 10;
  const longWindow = options.longWindow ?? 8640;
  const recentRaw = new Float64Array(shortWindow);
  const history = new Float64Array(longWindow);
  let rows = 0;
  let shortSum = 0;
  let longSum = 0;
  let longSquares = 0;
  let previousRed = false;

  return (raw: number): number => {
    const slot = rows % shortWindow;
    shortSum += raw - recentRaw[slot];
    recentRaw[slot] = raw;
    const average = shortSum / Math.min(rows + 1, shortWindow);
    const stored = Math.min(rows, longWindow);
    let result = 0;
    if (rows >= warmup && stored > 0) {
      let mean = longSum / stored;
      let variance = longSquares / stored - mean * mean;
      if (mean < MIN_MEAN) mean = MIN_MEAN;
      if (variance < MIN_VARIANCE) variance = MIN_VARIANCE;
      // Two-sided, as in the paper: a sudden silence of a noisy score is as unusual as a burst.
      const x = average < mean ? 2 * mean - average : average;
      let tail = 0.5 * erfc((x - mean) / Math.sqrt(2 * variance));
      const red = tail <= RED_TAIL;
      if (red && previousRed) tail = DEMOTED_TAIL;
      previousRed = red;
      result = Math.min(1, Math.log(tail + 1e-10) / LOG_FLOOR);
    }
    const h = rows % longWindow;
    if (rows >= longWindow) {
      longSum -= history[h];
      longSquares -= history[h] * history[h];
    }
    history[h] = average;
    longSum += average;
    longSquares += average * average;
    rows++;
    return result;
  };
}
