/**
 * Static deterministic user equilibrium (Wardrop 1952; Beckmann, McGuire & Winsten 1956):
 * the public entry point that prepares the problem, runs the chosen algorithm and reports link
 * flows, costs and the convergence measures.
 */
import { solveAlgorithmB } from './algorithm-b.ts';
import type { IterationLog, SolveOptions, SolveOutput } from './convergence.ts';
import { measureGap } from './convergence.ts';
import { solveFrankWolfe } from './frank-wolfe.ts';
import { beckmann, linkCost, linkTime } from './link-cost.ts';
import type { Demand, Network } from './network.ts';
import { type CostFunction, type Problem, prepareProblem, type UnreachablePair } from './problem.ts';
import { ShortestPaths } from './shortest-path.ts';

export type AlgorithmName = 'algorithm-b' | 'frank-wolfe';
export const ALGORITHMS: readonly AlgorithmName[] = ['algorithm-b', 'frank-wolfe'];

export interface AssignmentOptions {
  /** Default `algorithm-b`; `frank-wolfe` is the conjugate Frank-Wolfe reference. */
  algorithm?: AlgorithmName;
  /** Target relative gap; default 1e-6. */
  gap?: number;
  /** Default 100,000 (Algorithm B) or 1,000,000 (Frank-Wolfe); the gap or time stops earlier. */
  maxIterations?: number;
  /** Time budget; needs `clock`. */
  maxSeconds?: number;
  /** Millisecond clock (for example `performance.now`); without one no time is measured. */
  clock?: () => number;
  /** Link performance function; default `bpr`. */
  costFunction?: CostFunction;
  /**
   * Behavioural rigidity in (0, 1]: 1 (default) is fixed demand; lower values let each OD
   * pair's demand fall linearly with the cost above its reference, with elasticity (1 − r)/r.
   */
  rigidity?: number;
  /** Per Demand entry, the cost at which the full demand travels; default free-flow cost. */
  referenceCost?: Float64Array;
  /** Called after each iteration with the convergence log entry. */
  onIteration?: (entry: IterationLog) => void;
}

export interface AssignmentResult {
  algorithm: AlgorithmName;
  /** Equilibrium flow per network link (vehicles per hour). */
  flow: Float64Array;
  /** Travel time per link at `flow`. */
  time: Float64Array;
  /** Generalized cost per link at `flow` (time plus toll and distance terms). */
  cost: Float64Array;
  /** Beckmann objective (including the excess-demand terms under elastic demand). */
  objective: number;
  relativeGap: number;
  /** Total system travel time Σ flow·time over network links. */
  tstt: number;
  /** Σ flow·generalized cost over network links. */
  tsttGeneralized: number;
  iterations: number;
  seconds: number;
  converged: boolean;
  log: IterationLog[];
  /** OD pairs with demand but no path: reported and left out of the assignment. */
  unreachable: UnreachablePair[];
  /** Per Demand entry: equilibrium shortest path cost (Infinity if unreachable). */
  odCost: Float64Array;
  /** Per Demand entry: demand that travels (equals the demand unless elastic). */
  odFlow: Float64Array;
  /** Per Demand entry: the reference cost the elastic demand used (empty when rigid). */
  referenceCost: Float64Array;
}

const SOLVERS: Record<AlgorithmName, (p: Problem, o: SolveOptions) => SolveOutput> = {
  'algorithm-b': solveAlgorithmB,
  'frank-wolfe': solveFrankWolfe,
};

/**
 * Solves the user equilibrium of `demand` on `net`.
 *
 * @example
 * const r = assign(network, demand, { gap: 1e-8, clock: () => performance.now() });
 * console.log(r.objective, r.relativeGap, r.flow[0]);
 */
export function assign(net: Network, demand: Demand, options: AssignmentOptions = {}): AssignmentResult {
  const algorithm = options.algorithm ?? 'algorithm-b';
  const solver = SOLVERS[algorithm];
  if (!solver) throw new RangeError(`unknown algorithm '${algorithm}'; use one of ${ALGORITHMS.join(', ')}`);
  const gap = options.gap ?? 1e-6;
  if (!(gap >= 0)) throw new RangeError(`gap must be >= 0, got ${gap}`);
  const clock = options.clock;
  const t0 = clock ? clock() : 0;
  const prepared = prepareProblem(
    net,
    demand,
    options.costFunction ?? 'bpr',
    options.rigidity === undefined || options.rigidity === 1
      ? undefined
      : { rigidity: options.rigidity, referenceCost: options.referenceCost },
  );
  const p = prepared.problem;
  const maxMs = options.maxSeconds === undefined ? Number.POSITIVE_INFINITY : options.maxSeconds * 1000;
  const out = solver(p, {
    gap,
    maxIterations: options.maxIterations ?? (algorithm === 'frank-wolfe' ? 1_000_000 : 100_000),
    maxMs,
    clock: clock ? () => clock() - t0 : undefined,
    onIteration: options.onIteration,
  });
  const x = out.flow;
  const m = net.linkCount;
  const flow = x.slice(0, m);
  const time = new Float64Array(m);
  const cost = new Float64Array(m);
  let tstt = 0;
  let tsttGeneralized = 0;
  for (let a = 0; a < m; a++) {
    time[a] = linkTime(p.costs, a, flow[a]);
    cost[a] = linkCost(p.costs, a, flow[a]);
    tstt += flow[a] * time[a];
    tsttGeneralized += flow[a] * cost[a];
  }
  // Final exact measures on the returned flows, and the OD costs from the same shortest paths.
  const allCost = new Float64Array(p.linkCount);
  for (let a = 0; a < p.linkCount; a++) allCost[a] = linkCost(p.costs, a, x[a]);
  const sp = new ShortestPaths(p.nodeCount);
  const measured = measureGap(p, x, allCost, sp);
  const odCost = new Float64Array(demand.dest.length).fill(Number.POSITIVE_INFINITY);
  const odFlow = new Float64Array(demand.dest.length);
  for (let k = 0; k < p.root.length; k++) {
    // Costs over the real network only: the zone, not the elastic root, is the start.
    sp.run(p, allCost, p.zone[k], p.firstThru);
    for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) {
      const entry = p.odEntry[e];
      odCost[entry] = sp.dist[p.odDest[e]];
      odFlow[entry] = p.odTrips[e];
    }
  }
  if (p.linkCount > m) {
    // Elastic: the flow on each stay-home link is demand that does not travel.
    let a = m;
    for (let k = 0; k < p.root.length; k++) {
      a++;
      for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) odFlow[p.odEntry[e]] -= x[a++];
    }
  }
  return {
    algorithm,
    flow,
    time,
    cost,
    objective: beckmann(p.costs, x),
    relativeGap: measured.relativeGap,
    tstt,
    tsttGeneralized,
    iterations: out.iterations,
    seconds: clock ? (clock() - t0) / 1000 : 0,
    converged: measured.relativeGap <= gap,
    log: out.log,
    unreachable: prepared.unreachable,
    odCost,
    odFlow,
    referenceCost: prepared.referenceCost,
  };
}
