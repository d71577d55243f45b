/**
 * The assignment problem the algorithms solve: a graph with cost functions and, per origin, a
 * root node and its destinations with fixed demand. Elastic demand becomes fixed demand here by
 * Gartner's excess-demand transformation (Gartner 1980, "Optimal traffic assignment with elastic
 * demands: a review. Part II", Transportation Science 14(2):192-208; Sheffi 1985, "Urban
 * Transportation Networks", §6.2): each origin o gets a root node o* with a free link o*→o and one
 * "stay home" link o*→d per destination whose flow is the demand that does not travel.
 */
import { BPR, CONICAL, type CostModel, conicalBeta } from './link-cost.ts';
import type { Demand, Network } from './network.ts';
import { ShortestPaths } from './shortest-path.ts';

export type CostFunction = 'bpr' | 'conical';

export interface Problem {
  readonly nodeCount: number;
  readonly linkCount: number;
  /** Links 0..realLinks-1 are the network's; the rest are elastic-demand links. */
  readonly realLinks: number;
  readonly firstThru: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly outStart: Int32Array;
  readonly outLinks: Int32Array;
  readonly inStart: Int32Array;
  readonly inLinks: Int32Array;
  readonly costs: CostModel;
  /** Node where origin k's flow starts (the zone, or its elastic root). */
  readonly root: Int32Array;
  /** Zone node of origin k, allowed to pass flow even if below firstThru. */
  readonly zone: Int32Array;
  /** Destinations of origin k: odDest[odStart[k] .. odStart[k+1]) with odTrips. */
  readonly odStart: Int32Array;
  readonly odDest: Int32Array;
  readonly odTrips: Float64Array;
  /** Entry of the caller's Demand each OD pair comes from. */
  readonly odEntry: Int32Array;
}

export interface UnreachablePair {
  /** Zone indices (0-based). */
  origin: number;
  destination: number;
  trips: number;
}

export interface ElasticSpec {
  /** 1 = fixed demand; towards 0 demand responds ever more to cost above the reference. */
  rigidity: number;
  /** Cost per Demand entry at which its full demand travels; default free-flow shortest path cost. */
  referenceCost?: Float64Array;
}

export interface PreparedProblem {
  problem: Problem;
  unreachable: UnreachablePair[];
  /** Free-flow shortest path cost per Demand entry (Infinity if unreachable). */
  freeFlowCost: Float64Array;
  /** Reference cost per Demand entry used by the elastic demand function (empty if fixed). */
  referenceCost: Float64Array;
}

/**
 * Floor of a reference cost as a share of the demand-weighted mean reference cost: a pair whose
 * free-flow cost is zero would otherwise give up its whole demand at no cost.
 */
const REFERENCE_FLOOR_SHARE = 0.01;

function star(nodeCount: number, key: Int32Array): { start: Int32Array; links: Int32Array } {
  const start = new Int32Array(nodeCount + 1);
  for (let a = 0; a < key.length; a++) start[key[a] + 1]++;
  for (let i = 0; i < nodeCount; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nodeCount);
  const links = new Int32Array(key.length);
  for (let a = 0; a < key.length; a++) links[fill[key[a]]++] = a;
  return { start, links };
}

export function prepareProblem(
  net: Network,
  demand: Demand,
  costFunction: CostFunction,
  elastic: ElasticSpec | undefined,
): PreparedProblem {
  if (demand.zoneCount !== net.zoneCount) {
    throw new RangeError(`demand has ${demand.zoneCount} zones, the network ${net.zoneCount}`);
  }
  const m = net.linkCount;
  const fixed = new Float64Array(m);
  for (let a = 0; a < m; a++) fixed[a] = net.tollFactor * net.toll[a] + net.distanceFactor * net.length[a];
  const kind = new Uint8Array(m).fill(costFunction === 'conical' ? CONICAL : BPR);
  const beta = new Float64Array(m);
  if (costFunction === 'conical') {
    for (let a = 0; a < m; a++) {
      if (!(net.power[a] > 1))
        throw new RangeError(`conical cost needs alpha > 1; link ${a} has ${net.power[a]}`);
      beta[a] = conicalBeta(net.power[a]);
    }
  }
  // Free-flow shortest paths: find OD pairs without a path before any algorithm runs.
  const freeCost = new Float64Array(m);
  for (let a = 0; a < m; a++) freeCost[a] = net.freeFlowTime[a] + fixed[a];
  const sp = new ShortestPaths(net.nodeCount);
  const freeFlowCost = new Float64Array(demand.dest.length).fill(Number.POSITIVE_INFINITY);
  const unreachable: UnreachablePair[] = [];
  const keep: number[] = [];
  for (let o = 0; o < demand.zoneCount; o++) {
    if (demand.start[o] === demand.start[o + 1]) continue;
    sp.run(net, freeCost, o, net.firstThruNode);
    for (let e = demand.start[o]; e < demand.start[o + 1]; e++) {
      const d = demand.dest[e];
      freeFlowCost[e] = sp.dist[d];
      if (sp.dist[d] === Number.POSITIVE_INFINITY) {
        unreachable.push({ origin: o, destination: d, trips: demand.trips[e] });
      } else {
        keep.push(e);
      }
    }
  }
  const origins: number[] = [];
  const counts: number[] = [];
  for (const e of keep) {
    const o = zoneOfEntry(demand, e);
    if (origins.length === 0 || origins[origins.length - 1] !== o) {
      origins.push(o);
      counts.push(0);
    }
    counts[counts.length - 1]++;
  }
  const odStart = new Int32Array(origins.length + 1);
  for (let k = 0; k < origins.length; k++) odStart[k + 1] = odStart[k] + counts[k];
  const odEntry = Int32Array.from(keep);
  const odDest = Int32Array.from(keep, (e) => demand.dest[e]);
  const odTrips = Float64Array.from(keep, (e) => demand.trips[e]);
  const zone = Int32Array.from(origins);
  const rigidity = elastic?.rigidity ?? 1;
  if (!(rigidity > 0 && rigidity <= 1)) throw new RangeError(`rigidity must be in (0, 1], got ${rigidity}`);

  const base = {
    realLinks: m,
    firstThru: net.firstThruNode,
    zone,
    odStart,
    odDest,
    odTrips,
    odEntry,
  };
  if (rigidity === 1) {
    return {
      problem: {
        ...base,
        nodeCount: net.nodeCount,
        linkCount: m,
        from: net.from,
        to: net.to,
        outStart: net.outStart,
        outLinks: net.outLinks,
        inStart: net.inStart,
        inLinks: net.inLinks,
        costs: {
          linkCount: m,
          freeFlowTime: net.freeFlowTime,
          b: net.b,
          power: net.power,
          capacity: net.capacity,
          fixed,
          kind,
          beta,
        },
        root: zone,
      },
      unreachable,
      freeFlowCost,
      referenceCost: new Float64Array(0),
    };
  }

  // Excess-demand links. With linear demand q = Q·(1 − θ(u − u0)/u0) for u ≥ u0 (q = Q below
  // u0), the stay-home link's cost is the inverse demand W(e) = u0·(1 + e/(θQ)): a BPR link with
  // free-flow time u0, b = 1/θ, capacity Q and power 1. θ = (1 − r)/r is the demand elasticity at
  // the reference cost, so r = 1 is rigid and r = 0.5 loses the whole demand at twice u0.
  const theta = (1 - rigidity) / rigidity;
  const reference = elastic?.referenceCost ?? freeFlowCost;
  if (reference.length !== demand.dest.length) {
    throw new RangeError(`referenceCost has ${reference.length} entries, demand ${demand.dest.length}`);
  }
  let wsum = 0;
  let qsum = 0;
  for (const e of keep) {
    if (Number.isFinite(reference[e])) {
      wsum += reference[e] * demand.trips[e];
      qsum += demand.trips[e];
    }
  }
  const floor = qsum > 0 ? (REFERENCE_FLOOR_SHARE * wsum) / qsum : 1;
  const nOrig = origins.length;
  const nodeCount = net.nodeCount + nOrig;
  const linkCount = m + nOrig + keep.length;
  const from = new Int32Array(linkCount);
  const to = new Int32Array(linkCount);
  from.set(net.from);
  to.set(net.to);
  const grow = (x: Float64Array) => {
    const y = new Float64Array(linkCount);
    y.set(x);
    return y;
  };
  const fft = grow(net.freeFlowTime);
  const b = grow(net.b);
  const power = grow(net.power);
  const capacity = grow(net.capacity);
  const fixedAll = grow(fixed);
  const betaAll = grow(beta);
  const kindAll = new Uint8Array(linkCount);
  kindAll.set(kind);
  const usedReference = new Float64Array(demand.dest.length);
  const root = new Int32Array(nOrig);
  let a = m;
  for (let k = 0; k < nOrig; k++) {
    const r = net.nodeCount + k;
    root[k] = r;
    from[a] = r;
    to[a] = zone[k];
    capacity[a] = 1;
    a++;
    for (let e = odStart[k]; e < odStart[k + 1]; e++) {
      const entry = odEntry[e];
      const u0 = Math.max(reference[entry], floor);
      usedReference[entry] = u0;
      from[a] = r;
      to[a] = odDest[e];
      fft[a] = u0;
      b[a] = 1 / theta;
      power[a] = 1;
      capacity[a] = odTrips[e];
      a++;
    }
  }
  const out = star(nodeCount, from);
  const inn = star(nodeCount, to);
  return {
    problem: {
      ...base,
      nodeCount,
      linkCount,
      from,
      to,
      outStart: out.start,
      outLinks: out.links,
      inStart: inn.start,
      inLinks: inn.links,
      costs: {
        linkCount,
        freeFlowTime: fft,
        b,
        power,
        capacity,
        fixed: fixedAll,
        kind: kindAll,
        beta: betaAll,
      },
      root,
    },
    unreachable,
    freeFlowCost,
    referenceCost: usedReference,
  };
}

function zoneOfEntry(demand: Demand, e: number): number {
  // Binary search in the row offsets: the origin o with start[o] <= e < start[o+1].
  let lo = 0;
  let hi = demand.zoneCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (demand.start[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
