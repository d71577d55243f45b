/**
 * Conjugate Frank-Wolfe (Mitradjieva & Lindberg 2013, "The stiff is moving — conjugate direction
 * Frank-Wolfe methods with applications to traffic assignment", Transportation Science
 * 47(2):280-293): the classic link-based reference. Each iteration loads all-or-nothing flows y on
 * current shortest paths, mixes them with the previous target s so that the new direction is
 * conjugate to the last one under the diagonal Hessian of the Beckmann objective, and takes an
 * exact line search step.
 */
import type { IterationLog, SolveOptions, SolveOutput } from './convergence.ts';
import { beckmann, linkCost, linkDerivative } from './link-cost.ts';
import type { Problem } from './problem.ts';
import { ShortestPaths } from './shortest-path.ts';

/** Upper bound of the conjugate weight, keeping the all-or-nothing direction in play (paper §3). */
const MAX_CONJUGATE_WEIGHT = 0.99999;
/** Bisection steps of the line search: the bracket [0, 1] shrinks to 2^-60. */
const LINE_SEARCH_STEPS = 60;

export function solveFrankWolfe(p: Problem, opts: SolveOptions): SolveOutput {
  const m = p.linkCount;
  const costs = p.costs;
  const clock = opts.clock;
  const t0 = clock ? clock() : 0;
  const elapsed = () => (clock ? clock() - t0 : 0);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const s = new Float64Array(m);
  const d = new Float64Array(m);
  const cost = new Float64Array(m);
  const der = new Float64Array(m);
  const nodeFlow = new Float64Array(p.nodeCount);
  const sp = new ShortestPaths(p.nodeCount);

  /** All-or-nothing loading into y; returns Σ q·(shortest path cost). */
  const allOrNothing = (): number => {
    y.fill(0);
    let sptt = 0;
    for (let k = 0; k < p.root.length; k++) {
      sp.run(p, cost, p.root[k], p.firstThru, p.zone[k]);
      nodeFlow.fill(0);
      for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) {
        nodeFlow[p.odDest[e]] += p.odTrips[e];
        sptt += p.odTrips[e] * sp.dist[p.odDest[e]];
      }
      for (let t = sp.settled - 1; t > 0; t--) {
        const j = sp.order[t];
        const f = nodeFlow[j];
        if (f === 0) continue;
        const a = sp.pred[j];
        y[a] += f;
        nodeFlow[p.from[a]] += f;
      }
    }
    return sptt;
  };
  const refresh = () => {
    for (let a = 0; a < m; a++) {
      cost[a] = linkCost(costs, a, x[a]);
      der[a] = linkDerivative(costs, a, x[a]);
    }
  };

  refresh();
  allOrNothing();
  x.set(y);
  refresh();
  const log: IterationLog[] = [];
  let gap = Number.POSITIVE_INFINITY;
  let iter = 0;
  let haveTarget = false;
  while (iter < opts.maxIterations) {
    iter++;
    const sptt = allOrNothing();
    let tstt = 0;
    for (let a = 0; a < m; a++) tstt += x[a] * cost[a];
    gap = tstt > 0 ? (tstt - sptt) / tstt : 0;
    const entry = { iteration: iter, relativeGap: gap, objective: beckmann(costs, x), elapsedMs: elapsed() };
    log.push(entry);
    opts.onIteration?.(entry);
    if (gap <= opts.gap || entry.elapsedMs >= opts.maxMs) break;

    let alpha = 0;
    if (haveTarget) {
      let num = 0;
      let den = 0;
      for (let a = 0; a < m; a++) {
        const h = der[a];
        const sb = s[a] - x[a];
        num += sb * h * (y[a] - x[a]);
        den += sb * h * (y[a] - s[a]);
      }
      if (den !== 0) alpha = num / den;
      if (!(alpha >= 0)) alpha = 0;
      if (alpha > MAX_CONJUGATE_WEIGHT) alpha = MAX_CONJUGATE_WEIGHT;
    }
    for (let a = 0; a < m; a++) {
      s[a] = alpha * s[a] + (1 - alpha) * y[a];
      d[a] = s[a] - x[a];
    }
    haveTarget = true;
    // Exact line search: the directional derivative Σ c(x + λd)·d is increasing in λ.
    let lo = 0;
    let hi = 1;
    const slope = (lambda: number) => {
      let g = 0;
      for (let a = 0; a < m; a++) if (d[a] !== 0) g += linkCost(costs, a, x[a] + lambda * d[a]) * d[a];
      return g;
    };
    let lambda = 1;
    if (slope(1) > 0) {
      for (let it = 0; it < LINE_SEARCH_STEPS && hi - lo > 1e-16; it++) {
        const mid = (lo + hi) / 2;
        if (slope(mid) > 0) hi = mid;
        else lo = mid;
      }
      lambda = (lo + hi) / 2;
    }
    for (let a = 0; a < m; a++) x[a] += lambda * d[a];
    refresh();
  }
  return { flow: x, iterations: iter, relativeGap: gap, log };
}
