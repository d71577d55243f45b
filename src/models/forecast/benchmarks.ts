/**
 * The statistical benchmarks of the M4 competition, as the organisers' "Benchmarks and
 * Evaluation.R" computes them (Makridakis et al., IJF 36(1), 2020, section 3.3): seasonal
 * adjustment by classical multiplicative decomposition when the 90 % ACF test finds seasonality,
 * a non-seasonal method on the adjusted series, and reseasonalisation with the last cycle of
 * indices.
 */
import { type EtsTrend, fitEts, forecastEts } from './ets.ts';
import { multiplicativeSeasonalIndices, seasonalityTest } from './seasonality.ts';

export const BENCHMARK_METHODS = [
  'Naive',
  'sNaive',
  'Naive2',
  'SES',
  'Holt',
  'Damped',
  'Theta',
  'Comb',
] as const;
export type BenchmarkMethod = (typeof BENCHMARK_METHODS)[number];

export interface BenchmarkForecast {
  mean: Float64Array;
  /** 95 % interval bounds where the method has a model-based one (not Theta). */
  lower95?: Float64Array;
  upper95?: Float64Array;
}

/** z of the 97.5 % normal quantile, for two-sided 95 % intervals. */
const Z95 = 1.959963984540054;

interface Adjusted {
  y: Float64Array;
  /** Seasonal index of each forecast step (1 when the series is not seasonal). */
  outIndex: Float64Array;
}

function seasonallyAdjust(y: ArrayLike<number>, m: number, h: number): Adjusted {
  const n = y.length;
  const outIndex = new Float64Array(h).fill(1);
  if (m <= 1 || !seasonalityTest(y, m)) return { y: Float64Array.from(y), outIndex };
  const idx = multiplicativeSeasonalIndices(y, m);
  const adj = new Float64Array(n);
  for (let t = 0; t < n; t++) adj[t] = y[t] / idx[t % m];
  // R repeats the indices of the last m in-sample points, which continue the cycle at n.
  for (let i = 0; i < h; i++) outIndex[i] = idx[(n + i) % m];
  return { y: adj, outIndex };
}

function naive(y: ArrayLike<number>, h: number): BenchmarkForecast {
  const n = y.length;
  const last = y[n - 1];
  let ss = 0;
  for (let t = 1; t < n; t++) ss += (y[t] - y[t - 1]) ** 2;
  const sigma = Math.sqrt(ss / (n - 1));
  const mean = new Float64Array(h).fill(last);
  const lower95 = new Float64Array(h);
  const upper95 = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const w = Z95 * sigma * Math.sqrt(i + 1);
    lower95[i] = last - w;
    upper95[i] = last + w;
  }
  return { mean, lower95, upper95 };
}

/**
 * Seasonal naive: the last m values repeated, intervals from the in-sample lag-m errors
 * growing with the number of whole seasons ahead (Hyndman & Athanasopoulos, FPP3 section 5.5).
 */
export function seasonalNaive(y: ArrayLike<number>, h: number, m: number): BenchmarkForecast {
  const n = y.length;
  if (n < m) return naive(y, h);
  let ss = 0;
  let count = 0;
  for (let t = m; t < n; t++) {
    const d = y[t] - y[t - m];
    if (!Number.isNaN(d)) {
      ss += d * d;
      count++;
    }
  }
  const sigma = Math.sqrt(ss / Math.max(1, count));
  const mean = new Float64Array(h);
  const lower95 = new Float64Array(h);
  const upper95 = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    mean[i] = y[n - m + (i % m)];
    const w = Z95 * sigma * Math.sqrt(Math.floor(i / m) + 1);
    lower95[i] = mean[i] - w;
    upper95[i] = mean[i] + w;
  }
  return { mean, lower95, upper95 };
}

function reseasonalise(f: BenchmarkForecast, outIndex: Float64Array): BenchmarkForecast {
  const h = f.mean.length;
  const mean = new Float64Array(h);
  for (let i = 0; i < h; i++) mean[i] = f.mean[i] * outIndex[i];
  if (!f.lower95 || !f.upper95) return { mean };
  const lower95 = new Float64Array(h);
  const upper95 = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    lower95[i] = f.lower95[i] * outIndex[i];
    upper95[i] = f.upper95[i] * outIndex[i];
  }
  return { mean, lower95, upper95 };
}

function ets(y: ArrayLike<number>, h: number, trend: EtsTrend): BenchmarkForecast {
  const fc = forecastEts(fitEts(y, trend), h);
  const lower95 = new Float64Array(h);
  const upper95 = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const w = Z95 * Math.sqrt(fc.variance[i]);
    lower95[i] = fc.mean[i] - w;
    upper95[i] = fc.mean[i] + w;
  }
  return { mean: fc.mean, lower95, upper95 };
}

/**
 * Classic Theta (Assimakopoulos & Nikolopoulos 2000) as in the M4 code: the average of the OLS
 * line (θ = 0) and SES on the θ = 2 line 2·y − line, negative forecasts cut to 0.
 */
export function theta(y: ArrayLike<number>, h: number): Float64Array {
  const n = y.length;
  let sx = 0;
  let sy = 0;
  for (let t = 0; t < n; t++) {
    sx += t + 1;
    sy += y[t];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t + 1 - mx) * (y[t] - my);
    sxx += (t + 1 - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const line2 = new Float64Array(n);
  for (let t = 0; t < n; t++) line2[t] = 2 * y[t] - (intercept + slope * (t + 1));
  const ses = forecastEts(fitEts(line2, 'none'), h).mean;
  const out = new Float64Array(h);
  for (let i = 0; i < h; i++) out[i] = Math.max(0, 0.5 * ses[i] + 0.5 * (intercept + slope * (n + i + 1)));
  return out;
}

/**
 * All eight M4 benchmarks for one series (no NaN, at least 10 values) with seasonal period m.
 *
 * @example m4Benchmarks(hourlySeries, 48, 24).Naive2.mean
 */
export function m4Benchmarks(
  y: ArrayLike<number>,
  h: number,
  m: number,
): Record<BenchmarkMethod, BenchmarkForecast> {
  const adj = seasonallyAdjust(y, m, h);
  const ses = reseasonalise(ets(adj.y, h, 'none'), adj.outIndex);
  const holt = reseasonalise(ets(adj.y, h, 'additive'), adj.outIndex);
  const damped = reseasonalise(ets(adj.y, h, 'damped'), adj.outIndex);
  const comb = new Float64Array(h);
  for (let i = 0; i < h; i++) comb[i] = (ses.mean[i] + holt.mean[i] + damped.mean[i]) / 3;
  return {
    Naive: naive(y, h),
    sNaive: seasonalNaive(y, h, m),
    Naive2: reseasonalise(naive(adj.y, h), adj.outIndex),
    SES: ses,
    Holt: holt,
    Damped: damped,
    Theta: { mean: reseasonalise({ mean: theta(adj.y, h) }, adj.outIndex).mean },
    Comb: { mean: comb },
  };
}
