/**
 * Ridge solve of the normal equations (A + λ·D)·w = b by Cholesky, for the small dense systems
 * (p ≲ 60) of the direct forecaster. A is p×p, symmetric, row-major; only its lower triangle
 * is read. penalised[i] = 0 leaves coefficient i (the intercept) unpenalised.
 */
export function solveRidge(
  A: Float64Array,
  b: Float64Array,
  p: number,
  lambda: number,
  penalised: Uint8Array,
  work: Float64Array = new Float64Array(p * p + p),
): Float64Array {
  const L = work;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      if (i === j && penalised[i]) s += lambda;
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        // A tiny floor keeps collinear features (a constant lag, a flat day) from breaking the solve.
        L[i * p + i] = Math.sqrt(Math.max(s, 1e-12));
      } else {
        L[i * p + j] = s / L[j * p + j];
      }
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  const w = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * w[k];
    w[i] = s / L[i * p + i];
  }
  return w;
}
