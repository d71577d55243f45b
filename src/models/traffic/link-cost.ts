/**
 * Link performance functions: BPR (Bureau of Public Roads 1964, as used in the TNTP files,
 * t = fft·(1 + b·(x/c)^p)) and conical (Spiess 1990, "Conical volume-delay functions",
 * Transportation Science 24(2):153-158), each plus the flow-independent generalized cost
 * tollFactor·toll + distanceFactor·length. Costs, derivatives and the Beckmann integral
 * ∫₀ˣ t(s) ds are what every equilibrium algorithm needs.
 */

export const BPR = 0;
export const CONICAL = 1;

/** Cost parameters of the links of an assignment problem, flat arrays indexed by link. */
export interface CostModel {
  readonly linkCount: number;
  readonly freeFlowTime: Float64Array;
  readonly b: Float64Array;
  readonly power: Float64Array;
  readonly capacity: Float64Array;
  /** Flow-independent generalized cost (toll and distance terms), time units. */
  readonly fixed: Float64Array;
  /** BPR or CONICAL per link. */
  readonly kind: Uint8Array;
  /** Spiess's beta = (2α − 1)/(2α − 2) for conical links. */
  readonly beta: Float64Array;
}

/** Relative delay factor b·r^p without Math.pow for the common integer powers. */
function ratioPower(r: number, p: number): number {
  if (p === 4) {
    const r2 = r * r;
    return r2 * r2;
  }
  if (p === 1) return r;
  if (p === 2) return r * r;
  if (p === 0) return 1;
  return r ** p;
}

/** Travel time only (no generalized terms) of link a at flow x. */
export function linkTime(m: CostModel, a: number, x: number): number {
  const fft = m.freeFlowTime[a];
  if (m.kind[a] === BPR) {
    const b = m.b[a];
    return b === 0 ? fft : fft * (1 + b * ratioPower(x / m.capacity[a], m.power[a]));
  }
  const alpha = m.power[a];
  const beta = m.beta[a];
  const w = alpha * (1 - x / m.capacity[a]);
  return fft * (2 + Math.sqrt(w * w + beta * beta) - w - beta);
}

/** Generalized cost of link a at flow x. */
export function linkCost(m: CostModel, a: number, x: number): number {
  return linkTime(m, a, x) + m.fixed[a];
}

/** d cost / d flow of link a at flow x. */
export function linkDerivative(m: CostModel, a: number, x: number): number {
  const fft = m.freeFlowTime[a];
  if (m.kind[a] === BPR) {
    const b = m.b[a];
    const p = m.power[a];
    if (b === 0 || p === 0 || fft === 0) return 0;
    const c = m.capacity[a];
    return (fft * b * p * ratioPower(x / c, p - 1)) / c;
  }
  const alpha = m.power[a];
  const beta = m.beta[a];
  const c = m.capacity[a];
  const w = alpha * (1 - x / c);
  return ((fft * alpha) / c) * (1 - w / Math.sqrt(w * w + beta * beta));
}

/** ∫₀ˣ of the generalized cost of link a: its term of the Beckmann objective. */
export function linkIntegral(m: CostModel, a: number, x: number): number {
  const fft = m.freeFlowTime[a];
  const fixed = m.fixed[a] * x;
  if (m.kind[a] === BPR) {
    const b = m.b[a];
    if (b === 0) return fft * x + fixed;
    const c = m.capacity[a];
    const p = m.power[a];
    return fft * (x + (b * c * ratioPower(x / c, p + 1)) / (p + 1)) + fixed;
  }
  // ∫ sqrt(w² + β²) dw = (w·sqrt(w² + β²) + β²·asinh(w/β)) / 2, with w = α(1 − s/c).
  const alpha = m.power[a];
  const beta = m.beta[a];
  const c = m.capacity[a];
  const r = x / c;
  const g = (w: number) => (w * Math.sqrt(w * w + beta * beta) + beta * beta * Math.asinh(w / beta)) / 2;
  const f = (2 - beta) * r - alpha * (r - (r * r) / 2) - (g(alpha * (1 - r)) - g(alpha)) / alpha;
  return fft * c * f + fixed;
}

/** Fills cost (and derivative, when given) of every link at flows x. */
export function updateCosts(m: CostModel, x: Float64Array, cost: Float64Array, deriv?: Float64Array): void {
  for (let a = 0; a < m.linkCount; a++) {
    cost[a] = linkCost(m, a, x[a]);
    if (deriv) deriv[a] = linkDerivative(m, a, x[a]);
  }
}

/** Beckmann objective Σ_a ∫₀^{x_a} c_a(s) ds. */
export function beckmann(m: CostModel, x: Float64Array): number {
  let z = 0;
  for (let a = 0; a < m.linkCount; a++) z += linkIntegral(m, a, x[a]);
  return z;
}

/** Spiess's beta for a conical function of steepness alpha (> 1). */
export function conicalBeta(alpha: number): number {
  return (2 * alpha - 1) / (2 * alpha - 2);
}
