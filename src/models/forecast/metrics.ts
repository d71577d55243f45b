/**
 * Error measures of the M4 competition (Makridakis, Spiliotis & Assimakopoulos, IJF 36(1), 2020,
 * section 2.3; the organisers' "Benchmarks and Evaluation.R"). All take the in-sample series, the
 * actual out-of-sample values and the forecasts, and average over the horizon.
 */

/**
 * Symmetric MAPE in percent (0..200): mean of 200·|y−f| / (|y|+|f|).
 *
 * @example smape([100, 100], [110, 90]) // ≈ 10.03
 */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i];
    const f = forecast[i];
    const d = Math.abs(y) + Math.abs(f);
    // 0/0 (both zero) counts as a perfect forecast rather than NaN.
    sum += d === 0 ? 0 : (200 * Math.abs(y - f)) / d;
  }
  return sum / actual.length;
}

/**
 * In-sample mean absolute error of the seasonal naive forecast with lag m: the MASE/MSIS scale.
 * NaN values in the history are skipped, so a gappy history still gives a scale.
 *
 * @example seasonalNaiveScale([1, 2, 3, 5], 1) // (1 + 1 + 2) / 3
 */
export function seasonalNaiveScale(insample: ArrayLike<number>, m: number): number {
  let sum = 0;
  let count = 0;
  for (let t = m; t < insample.length; t++) {
    const d = Math.abs(insample[t] - insample[t - m]);
    if (Number.isFinite(d)) {
      sum += d;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Mean absolute scaled error with the seasonal naive scale of lag m (M4: m = 24 for Hourly).
 *
 * @example mase([1, 2, 3, 5], [6], [7], 1) // 1 / (4 / 3) = 0.75
 */
export function mase(
  insample: ArrayLike<number>,
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  m: number,
): number {
  const scale = seasonalNaiveScale(insample, m);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - forecast[i]);
  return sum / actual.length / scale;
}

/**
 * Mean scaled interval score of a (1−a) prediction interval (M4 uses a = 0.05, the 95 % interval):
 * width plus 2/a times each exceedance, averaged and divided by the MASE scale
 * (Gneiting & Raftery 2007, eq. 43; M4 guide section 2.3).
 *
 * @example msis([1, 2, 3, 5], [6], [5], [7], 1, 0.05) // width 2 / scale 4/3 = 1.5
 */
export function msis(
  insample: ArrayLike<number>,
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  m: number,
  a = 0.05,
): number {
  const scale = seasonalNaiveScale(insample, m);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i];
    sum += upper[i] - lower[i];
    if (y < lower[i]) sum += (2 / a) * (lower[i] - y);
    if (y > upper[i]) sum += (2 / a) * (y - upper[i]);
  }
  return sum / actual.length / scale;
}

/** Share of actual values inside [lower, upper]: the coverage an interval claims. */
export function coverage(
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] >= lower[i] && actual[i] <= upper[i]) inside++;
  return inside / actual.length;
}

/**
 * Overall weighted average relative to Naive2, on set-level mean sMAPE and MASE (M4 section 2.3).
 *
 * @example owa(13.912, 1.193, 18.383, 2.395) // ≈ 0.627
 */
export function owa(smapeValue: number, maseValue: number, smapeNaive2: number, maseNaive2: number): number {
  return 0.5 * (smapeValue / smapeNaive2 + maseValue / maseNaive2);
}
