/**
 * Nelder–Mead simplex minimiser in the variant of J. C. Nash, "Compact Numerical Methods for
 * Computers", 2nd ed. 1990, Algorithm 19: the one R's optim() and forecast::ets() use. The M4
 * benchmarks were produced with it, and a likelihood surface with several local optima (Holt on
 * hourly data) ends wherever the search path leads, so reproducing the published figures needs
 * the same search path, not merely some minimiser.
 */

export interface NelderMeadOptions {
  /** Relative convergence tolerance on the spread of function values (R: sqrt(machine eps)). */
  relTol?: number;
  /** Stop once the best value is at or below this. */
  absTol?: number;
  /** Maximum function evaluations (forecast::ets uses 2000). */
  maxEval?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
}

/** Penalty standing in for a non-finite objective, as in Nash's code. */
const BIG = 1.0e35;
const REFLECT = 1.0;
const CONTRACT = 0.5;
const EXPAND = 2.0;

/**
 * Minimises f from x0. f may return Infinity or NaN outside the feasible region.
 *
 * @example nelderMead((p) => (p[0] - 1) ** 2 + (p[1] + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const relTol = options.relTol ?? Math.sqrt(Number.EPSILON);
  const absTol = options.absTol ?? Number.NEGATIVE_INFINITY;
  const maxEval = options.maxEval ?? 2000;
  const n = x0.length;
  const n1 = n + 1;
  const b = Float64Array.from(x0);
  // Simplex vertices in columns 0..n, column n+1 holds the centroid; fv their values.
  const p: Float64Array[] = [];
  for (let j = 0; j <= n1; j++) p.push(new Float64Array(n));
  const fv = new Float64Array(n1 + 1);
  const evaluate = (x: Float64Array): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : BIG;
  };

  let fx = f(b);
  if (!Number.isFinite(fx)) return { x: b, value: fx, evaluations: 1 };
  let count = 1;
  const convTol = relTol * (Math.abs(fx) + relTol);
  fv[0] = fx;
  p[0].set(b);
  let best = 0;
  let size = 0;
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(b[i]));
  if (step === 0) step = 0.1;
  for (let j = 1; j < n1; j++) {
    p[j].set(b);
    let tryStep = step;
    // Grow the step until it changes the coordinate at all (matters for huge |x|).
    while (p[j][j - 1] === b[j - 1]) {
      p[j][j - 1] = b[j - 1] + tryStep;
      tryStep *= 10;
    }
    size += tryStep;
  }
  let oldSize = size;
  let recompute = true;
  const c = p[n1];
  for (;;) {
    if (recompute) {
      for (let j = 0; j < n1; j++) {
        if (j === best) continue;
        fv[j] = evaluate(p[j]);
        count++;
      }
      recompute = false;
    }
    let vl = fv[best];
    let vh = vl;
    let high = best;
    for (let j = 0; j < n1; j++) {
      if (j === best) continue;
      const v = fv[j];
      if (v < vl) {
        best = j;
        vl = v;
      }
      if (v > vh) {
        high = j;
        vh = v;
      }
    }
    if (vh <= vl + convTol || vl <= absTol) break;

    for (let i = 0; i < n; i++) {
      let t = -p[high][i];
      for (let j = 0; j < n1; j++) t += p[j][i];
      c[i] = t / n;
    }
    for (let i = 0; i < n; i++) b[i] = (1 + REFLECT) * c[i] - REFLECT * p[high][i];
    fx = evaluate(b);
    count++;
    const vr = fx;
    if (vr < vl) {
      fv[n1] = fx;
      for (let i = 0; i < n; i++) {
        const e = EXPAND * b[i] + (1 - EXPAND) * c[i];
        c[i] = b[i];
        b[i] = e;
      }
      fx = evaluate(b);
      count++;
      if (fx < vr) {
        p[high].set(b);
        fv[high] = fx;
      } else {
        p[high].set(c);
        fv[high] = vr;
      }
    } else {
      if (vr < vh) {
        p[high].set(b);
        fv[high] = vr;
      }
      for (let i = 0; i < n; i++) b[i] = (1 - CONTRACT) * p[high][i] + CONTRACT * c[i];
      fx = evaluate(b);
      count++;
      if (fx < fv[high]) {
        p[high].set(b);
        fv[high] = fx;
      } else if (vr >= vh) {
        // Shrink towards the best vertex; stop if the simplex no longer gets smaller.
        recompute = true;
        size = 0;
        for (let j = 0; j < n1; j++) {
          if (j === best) continue;
          for (let i = 0; i < n; i++) {
            p[j][i] = CONTRACT * (p[j][i] - p[best][i]) + p[best][i];
            size += Math.abs(p[j][i] - p[best][i]);
          }
        }
        if (size < oldSize) oldSize = size;
        else break;
      }
    }
    if (count > maxEval) break;
  }
  return { x: Float64Array.from(p[best]), value: fv[best], evaluations: count };
}
