/**
 * Algorithm B (Dial 2006, "A path-based user-equilibrium traffic assignment algorithm that
 * obviates path storage and enumeration", Transportation Research Part B 40(10):917-936), in the
 * form analysed by Nie (2010, "A class of bush-based algorithms for the traffic assignment
 * problem", TR Part B 44(1):73-89) and implemented by Boyles' tap-b.
 *
 * Each origin keeps an acyclic bush of links with its own link flows. A flow pass visits the
 * bush's nodes in reverse topological order; at node j it follows the shortest (L) and longest
 * used (U) paths back to where they diverge and moves flow between the two segments by one
 * Newton step, Δ = (c_U − c_L)/(Σ c'), capped by the flow on the longer segment. A bush update
 * drops unused links and adds every link (i, j) with U_i + c_ij < U_j, which keeps it acyclic
 * (along any cycle U would have to increase strictly). All state lives in typed arrays sized
 * once: per origin a link-flow row and a membership row, plus one topological order row.
 */
import { type IterationLog, measureGap, type SolveOptions, type SolveOutput } from './convergence.ts';
import { beckmann, linkCost, linkDerivative } from './link-cost.ts';
import type { Problem } from './problem.ts';
import { ShortestPaths } from './shortest-path.ts';

/** Flow passes over all bushes between two bush updates. */
const INNER_PASSES = Number(process.env.IP ?? 20);
const THRESHOLD_SHARE = Number(process.env.TS ?? 0.1);
const GAP_STEP = Number(process.env.GS ?? 0.1);
/** Share of a link's bush flow below which what is left after a shift is rounding residue. */
const RESIDUE = 1e-12;

export function solveAlgorithmB(p: Problem, opts: SolveOptions): SolveOutput {
  const n = p.nodeCount;
  const m = p.linkCount;
  const K = p.root.length;
  const { from, to, inStart, inLinks, outStart, outLinks, costs, root, zone, firstThru } = p;
  const clock = opts.clock;
  const t0 = clock ? clock() : 0;
  const elapsed = () => (clock ? clock() - t0 : 0);

  const x = new Float64Array(m);
  const cost = new Float64Array(m);
  const der = new Float64Array(m);
  const bushFlow = new Float64Array(K * m);
  const inBush = new Uint8Array(K * m);
  const topo = new Int32Array(K * n);
  const topoCount = new Int32Array(K);

  const L = new Float64Array(n);
  const U = new Float64Array(n);
  const Lp = new Int32Array(n);
  const Up = new Int32Array(n);
  const pos = new Int32Array(n);
  const indeg = new Int32Array(n);
  const nodeFlow = new Float64Array(n);
  const sp = new ShortestPaths(n);

  const refreshCosts = () => {
    for (let a = 0; a < m; a++) {
      cost[a] = linkCost(costs, a, x[a]);
      der[a] = linkDerivative(costs, a, x[a]);
    }
  };
  const setFlow = (a: number, v: number) => {
    const f = v > 0 ? v : 0;
    x[a] = f;
    cost[a] = linkCost(costs, a, f);
    der[a] = linkDerivative(costs, a, f);
  };

  // Initial bushes: the free-flow shortest path trees, loaded all-or-nothing.
  refreshCosts();
  for (let k = 0; k < K; k++) {
    const base = k * m;
    sp.run(p, cost, root[k], firstThru, zone[k]);
    nodeFlow.fill(0);
    for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) nodeFlow[p.odDest[e]] += p.odTrips[e];
    for (let s = sp.settled - 1; s > 0; s--) {
      const j = sp.order[s];
      const a = sp.pred[j];
      inBush[base + a] = 1;
      const f = nodeFlow[j];
      if (f > 0) {
        bushFlow[base + a] += f;
        nodeFlow[from[a]] += f;
      }
    }
    for (let s = 0; s < sp.settled; s++) topo[k * n + s] = sp.order[s];
    topoCount[k] = sp.settled;
  }
  const sumFlows = () => {
    x.fill(0);
    for (let k = 0; k < K; k++) {
      const base = k * m;
      for (let a = 0; a < m; a++) x[a] += bushFlow[base + a];
    }
    refreshCosts();
  };
  sumFlows();

  /** Kahn's algorithm over bush k; returns false on a cycle (a bug). */
  const sortBush = (k: number): boolean => {
    const base = k * m;
    const tb = k * n;
    indeg.fill(0);
    for (let a = 0; a < m; a++) if (inBush[base + a] === 1) indeg[to[a]]++;
    let head = 0;
    let tail = 0;
    topo[tb + tail++] = root[k];
    while (head < tail) {
      const i = topo[tb + head++];
      for (let s = outStart[i], e = outStart[i + 1]; s < e; s++) {
        const a = outLinks[s];
        if (inBush[base + a] === 1 && --indeg[to[a]] === 0) topo[tb + tail++] = to[a];
      }
    }
    topoCount[k] = tail;
    for (let a = 0; a < m; a++) if (inBush[base + a] === 1 && indeg[to[a]] > 0) return false;
    return true;
  };

  /** Min and max-used path labels of bush k in its topological order; fills pos. */
  const labels = (k: number) => {
    const base = k * m;
    const tb = k * n;
    const cnt = topoCount[k];
    pos.fill(-1);
    for (let t = 0; t < cnt; t++) {
      const j = topo[tb + t];
      pos[j] = t;
      if (t === 0) {
        L[j] = 0;
        U[j] = 0;
        Lp[j] = -1;
        Up[j] = -1;
        continue;
      }
      let lj = Number.POSITIVE_INFINITY;
      let uj = Number.NEGATIVE_INFINITY;
      let lp = -1;
      let up = -1;
      for (let s = inStart[j], e = inStart[j + 1]; s < e; s++) {
        const a = inLinks[s];
        if (inBush[base + a] === 0) continue;
        const i = from[a];
        if (pos[i] < 0) continue;
        const c = cost[a];
        const l = L[i] + c;
        if (l < lj) {
          lj = l;
          lp = a;
        }
        if (bushFlow[base + a] > 0) {
          const u = U[i] + c;
          if (u > uj) {
            uj = u;
            up = a;
          }
        }
      }
      L[j] = lj;
      Lp[j] = lp;
      U[j] = up < 0 ? lj : uj;
      Up[j] = up;
    }
  };

  const updateBush = (k: number) => {
    const base = k * m;
    const r = root[k];
    const z = zone[k];
    // Drop unused links but keep each node's shortest-path link, so the bush spans every node
    // it reached and shortcuts through currently unused nodes can still be found.
    labels(k);
    for (let a = 0; a < m; a++) {
      if (inBush[base + a] === 1 && bushFlow[base + a] <= 0 && Lp[to[a]] !== a) inBush[base + a] = 0;
    }
    // Longest paths over the remaining bush, in the still valid old order.
    const tb = k * n;
    const cnt = topoCount[k];
    U.fill(Number.NEGATIVE_INFINITY);
    U[r] = 0;
    for (let t = 1; t < cnt; t++) {
      const j = topo[tb + t];
      let uj = Number.NEGATIVE_INFINITY;
      for (let s = inStart[j], e = inStart[j + 1]; s < e; s++) {
        const a = inLinks[s];
        if (inBush[base + a] === 0) continue;
        const u = U[from[a]] + cost[a];
        if (u > uj) uj = u;
      }
      U[j] = uj;
    }
    for (let a = 0; a < m; a++) {
      if (inBush[base + a] === 1) continue;
      const i = from[a];
      const ui = U[i];
      if (ui === Number.NEGATIVE_INFINITY) continue;
      if (i < firstThru && i !== r && i !== z) continue;
      const j = to[a];
      if (j === r) continue;
      const uj = U[j];
      if (uj === Number.NEGATIVE_INFINITY || ui + cost[a] < uj) inBush[base + a] = 1;
    }
    if (!sortBush(k)) throw new Error(`bush of origin ${k} has a cycle`);
  };

  /** One Algorithm B flow pass over bush k. */
  const shiftFlows = (k: number, threshold: number): number => {
    labels(k);
    const base = k * m;
    const tb = k * n;
    let worst = 0;
    for (let t = topoCount[k] - 1; t > 0; t--) {
      const j = topo[tb + t];
      const upj = Up[j];
      const lpj = Lp[j];
      if (upj < 0 || upj === lpj) continue;
      const excess = U[j] - L[j];
      if (excess > worst) worst = excess;
      if (!(excess > threshold)) continue;
      let a = lpj;
      let minC = cost[a];
      let minD = der[a];
      let pn = from[a];
      a = upj;
      let maxC = cost[a];
      let maxD = der[a];
      let maxF = bushFlow[base + a];
      let qn = from[a];
      let broken = false;
      while (pn !== qn) {
        if (pos[pn] > pos[qn]) {
          a = Lp[pn];
          minC += cost[a];
          minD += der[a];
          pn = from[a];
        } else {
          a = Up[qn];
          // Rounding can leave a node with outflow but no used inflow; skip such a pair.
          if (a < 0) {
            broken = true;
            break;
          }
          maxC += cost[a];
          maxD += der[a];
          const f = bushFlow[base + a];
          if (f < maxF) maxF = f;
          qn = from[a];
        }
      }
      const diff = maxC - minC;
      if (broken || !(diff > 0) || !(maxF > 0)) continue;
      const den = minD + maxD;
      let delta = den > 0 ? diff / den : maxF;
      if (delta > maxF) delta = maxF;
      const dv = pn;
      let q = j;
      while (q !== dv) {
        a = Up[q];
        const f0 = bushFlow[base + a];
        const f = f0 - delta;
        // Links that carried the bottleneck flow up to rounding empty completely; a residue would
        // leave a node with outflow but no inflow.
        bushFlow[base + a] = f > RESIDUE * f0 ? f : 0;
        setFlow(a, x[a] - delta);
        q = from[a];
      }
      q = j;
      while (q !== dv) {
        a = Lp[q];
        bushFlow[base + a] += delta;
        setFlow(a, x[a] + delta);
        q = from[a];
      }
    }
    return worst;
  };

  const log: IterationLog[] = [];
  let gap = Number.POSITIVE_INFINITY;
  let iter = 0;
  let lastTstt = 0;
  const excess = new Float64Array(K);
  let demandTotal = 0;
  for (let e = 0; e < p.odTrips.length; e++) demandTotal += p.odTrips[e];
  while (iter < opts.maxIterations) {
    iter++;
    // Cost differences below this are left for later: an OD pair's share of the relative gap is
    // its excess cost over the mean trip cost, so there is no point equalising far below the gap.
    const threshold =
      iter === 1 ? 0 : (THRESHOLD_SHARE * Math.max(gap * GAP_STEP, opts.gap) * lastTstt) / demandTotal;
    for (let k = 0; k < K; k++) {
      updateBush(k);
      excess[k] = shiftFlows(k, threshold);
    }
    for (let pass = 0; pass < INNER_PASSES; pass++) {
      let busy = false;
      for (let k = 0; k < K; k++) {
        if (excess[k] > threshold) {
          excess[k] = shiftFlows(k, threshold);
          busy = true;
        }
      }
      if (!busy) break;
    }
    sumFlows();
    const measured = measureGap(p, x, cost, sp);
    gap = measured.relativeGap;
    lastTstt = measured.tstt;
    const entry = { iteration: iter, relativeGap: gap, objective: beckmann(costs, x), elapsedMs: elapsed() };
    log.push(entry);
    opts.onIteration?.(entry);
    if (gap <= opts.gap || entry.elapsedMs >= opts.maxMs) break;
  }
  return { flow: x, iterations: iter, relativeGap: gap, log };
}
