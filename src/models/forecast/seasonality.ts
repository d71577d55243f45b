/**
 * The seasonality test and classical decomposition of the M4 benchmarks ("Benchmarks and
 * Evaluation.R", which calls R's stats::acf and stats::decompose).
 */

/**
 * Sample autocorrelations r_1..r_maxLag: demeaned, every lag divided by the lag-0 sum over all n
 * points (the biased estimator of R's acf, Box & Jenkins 1976 eq. 2.1.12).
 */
export function acf(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  const d = new Float64Array(n);
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    d[i] = y[i] - mean;
    c0 += d[i] * d[i];
  }
  const r = new Float64Array(maxLag + 1);
  r[0] = 1;
  for (let k = 1; k <= maxLag && k < n; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += d[i] * d[i - k];
    r[k] = c0 === 0 ? 0 : s / c0;
  }
  return r;
}

/** One-sided 90 % normal quantile used by the M4 organisers' test. */
const T_CRIT = 1.645;

/**
 * M4 seasonality test: with n ≥ 3m, seasonal iff |r_m| > 1.645·sqrt((1 + 2·Σ_{k<m} r_k²)/n),
 * Bartlett's standard error of r_m under an MA(m−1) null.
 *
 * @example seasonalityTest(dailyCycleSeries, 24) // true
 */
export function seasonalityTest(y: ArrayLike<number>, m: number): boolean {
  const n = y.length;
  if (m <= 1 || n < 3 * m) return false;
  const r = acf(y, m);
  let s = 1;
  for (let k = 1; k < m; k++) s += 2 * r[k] * r[k];
  const limit = (T_CRIT / Math.sqrt(n)) * Math.sqrt(s);
  return Math.abs(r[m]) > limit;
}

/**
 * Seasonal indices of a classical multiplicative decomposition (R stats::decompose): a centred
 * moving average of order m (2×m for even m) as trend, the mean ratio y/trend per cycle position,
 * normalised to average 1. Index i belongs to the positions t ≡ i (mod m), t counted from 0 at
 * the first observation.
 *
 * @example multiplicativeSeasonalIndices(series, 24) // Float64Array(24), mean 1
 */
export function multiplicativeSeasonalIndices(y: ArrayLike<number>, m: number): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const even = m % 2 === 0;
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    if (even) {
      trend = 0.5 * (y[t - half] + y[t + half]);
      for (let k = -half + 1; k < half; k++) trend += y[t + k];
    } else {
      for (let k = -half; k <= half; k++) trend += y[t + k];
    }
    trend /= m;
    const ratio = y[t] / trend;
    if (Number.isFinite(ratio)) {
      sums[t % m] += ratio;
      counts[t % m]++;
    }
  }
  const idx = new Float64Array(m);
  let mean = 0;
  for (let i = 0; i < m; i++) {
    idx[i] = counts[i] > 0 ? sums[i] / counts[i] : 1;
    mean += idx[i];
  }
  mean /= m;
  for (let i = 0; i < m; i++) idx[i] /= mean;
  return idx;
}
