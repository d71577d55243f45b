/**
 * What every equilibrium algorithm shares: its options, its output, the convergence log, and the
 * relative gap (TSTT − SPTT)/TSTT over generalized costs measured with exact shortest paths
 * (Boyce, Ralevic-Dekic & Bar-Gera 2004, "Convergence of traffic assignments: how much is
 * enough?", J. Transportation Engineering 130(1)).
 */
import type { Problem } from './problem.ts';
import type { ShortestPaths } from './shortest-path.ts';

export interface IterationLog {
  iteration: number;
  relativeGap: number;
  /** Beckmann objective at the iterate. */
  objective: number;
  /** Milliseconds since the start, per the caller's clock (0 without one). */
  elapsedMs: number;
}

export interface SolveOptions {
  /** Target relative gap. */
  gap: number;
  maxIterations: number;
  /** Stop after this many milliseconds by `clock`. */
  maxMs: number;
  /** Millisecond clock; models read none of their own. */
  clock?: () => number;
  onIteration?: (entry: IterationLog) => void;
}

export interface SolveOutput {
  /** Flow per problem link. */
  flow: Float64Array;
  iterations: number;
  relativeGap: number;
  log: IterationLog[];
}

/** Σ x·c over problem links and Σ q·(shortest path cost) over OD pairs. */
export function measureGap(
  p: Problem,
  x: Float64Array,
  cost: Float64Array,
  sp: ShortestPaths,
): { tstt: number; sptt: number; relativeGap: number } {
  let tstt = 0;
  for (let a = 0; a < p.linkCount; a++) tstt += x[a] * cost[a];
  let sptt = 0;
  for (let k = 0; k < p.root.length; k++) {
    sp.run(p, cost, p.root[k], p.firstThru, p.zone[k]);
    for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) sptt += p.odTrips[e] * sp.dist[p.odDest[e]];
  }
  const relativeGap = tstt > 0 ? (tstt - sptt) / tstt : 0;
  return { tstt, sptt, relativeGap };
}
