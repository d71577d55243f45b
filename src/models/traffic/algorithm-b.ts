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
 * (along any cycle U would have to increase strictly). All state lives in typed arrays: per
 * origin a membership row, a topological order and the bush's links with their flows as entry
 * lists in that order (grown as the bush grows), so no pass allocates.
 */
import type { IterationLog, SolveOptions, SolveOutput } from './convergence.ts';
import { BPR, beckmann, linkCost, linkDerivative } from './link-cost.ts';
import type { Problem } from './problem.ts';
import { ShortestPaths } from './shortest-path.ts';

/** Flow passes' worth of bush visits between two bush updates (more passes, fewer updates). */
const INNER_PASSES = 20;
/**
 * A node's cost difference is equalised only above THRESHOLD_SHARE × max(gap × GAP_STEP, target)
 * × mean trip cost: an OD pair adds its excess cost over the mean trip cost to the relative gap,
 * so equalising far below the current gap is wasted until the bushes have grown.
 */
const THRESHOLD_SHARE = 0.1;
const GAP_STEP = 0.1;
/** Share of a link's bush flow below which what is left after a shift is rounding residue. */
const RESIDUE = 1e-12;

/** Everything the passes share, allocated once. */
interface State {
  readonly p: Problem;
  readonly n: number;
  readonly m: number;
  readonly x: Float64Array;
  readonly cost: Float64Array;
  readonly der: Float64Array;
  /** BPR links of power 4 get cost c0 + k4·x⁴ without a call (the TNTP networks' case). */
  readonly quartic: Uint8Array;
  readonly c0: Float64Array;
  readonly k4: Float64Array;
  /** Per origin, the bush flow of each entry (see ent). */
  readonly flow: Float64Array[];
  /** Bush flows by link while entry lists are rebuilt; zero otherwise. */
  readonly linkScratch: Float64Array;
  readonly inBush: Uint8Array;
  /** Per origin k, its bush's nodes in topological order: topo[k·n + t], t < topoCount[k]. */
  readonly topo: Int32Array;
  readonly topoCount: Int32Array;
  /**
   * Per origin, its bush links as pairs (link, position of the tail in topo) grouped by the
   * position of the head; the pairs of head position t are ent[k][2e..], entStart[k·(n+1) + t]
   * <= e < entStart[k·(n+1) + t + 1]. The passes then read one contiguous list instead of every
   * in-link of the network, and compare positions instead of looking them up.
   */
  readonly ent: Int32Array[];
  readonly entStart: Int32Array;
  /** Labels by topological position: shortest (L), longest used (U) and their entries. */
  readonly L: Float64Array;
  readonly U: Float64Array;
  readonly Lp: Int32Array;
  readonly Up: Int32Array;
  /** Scratch by node. */
  readonly byNode: Float64Array;
  readonly pos: Int32Array;
  readonly indeg: Int32Array;
  readonly perm: Int32Array;
  readonly perm2: Int32Array;
  /** Links a bush update adds, and the same grouped by head (insertEntries). */
  readonly newLinks: Int32Array;
  readonly addSorted: Int32Array;
  readonly addEnd: Int32Array;
  /** A bush's entry lists while remapEntries builds them. */
  readonly entTmp: Int32Array;
  readonly flowTmp: Float64Array;
  readonly startTmp: Int32Array;
  readonly tmp: Int32Array;
  /** U's bits, for radixByU; little-endian words. */
  readonly uBits: Uint32Array;
  readonly radix: Int32Array;
}

function createState(p: Problem): State {
  const n = p.nodeCount;
  const m = p.linkCount;
  const K = p.root.length;
  const c = p.costs;
  const quartic = new Uint8Array(m);
  const c0 = new Float64Array(m);
  const k4 = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    if (c.kind[a] === BPR && c.power[a] === 4) {
      quartic[a] = 1;
      c0[a] = c.freeFlowTime[a] + c.fixed[a];
      k4[a] = c.b[a] === 0 ? 0 : (c.freeFlowTime[a] * c.b[a]) / c.capacity[a] ** 4;
    }
  }
  const U = new Float64Array(n);
  return {
    p,
    n,
    m,
    x: new Float64Array(m),
    cost: new Float64Array(m),
    der: new Float64Array(m),
    quartic,
    c0,
    k4,
    flow: Array.from({ length: K }, () => new Float64Array(0)),
    linkScratch: new Float64Array(m),
    inBush: new Uint8Array(K * m),
    topo: new Int32Array(K * n),
    topoCount: new Int32Array(K),
    ent: Array.from({ length: K }, () => new Int32Array(0)),
    entStart: new Int32Array(K * (n + 1)),
    L: new Float64Array(n),
    U,
    Lp: new Int32Array(n),
    Up: new Int32Array(n),
    byNode: new Float64Array(n),
    pos: new Int32Array(n),
    perm: new Int32Array(n),
    perm2: new Int32Array(n),
    newLinks: new Int32Array(m),
    addSorted: new Int32Array(m),
    addEnd: new Int32Array(n),
    entTmp: new Int32Array(2 * m),
    flowTmp: new Float64Array(m),
    startTmp: new Int32Array(n + 1),
    tmp: new Int32Array(n),
    uBits: new Uint32Array(U.buffer),
    radix: new Int32Array(256),
    indeg: new Int32Array(n),
  };
}

function setFlow(s: State, a: number, v: number): void {
  const f = Math.max(v, 0);
  s.x[a] = f;
  if (s.quartic[a] === 1) {
    const k = s.k4[a];
    const f2 = f * f;
    s.cost[a] = s.c0[a] + k * f2 * f2;
    s.der[a] = 4 * k * f2 * f;
  } else {
    s.cost[a] = linkCost(s.p.costs, a, f);
    s.der[a] = linkDerivative(s.p.costs, a, f);
  }
}

function refreshCosts(s: State): void {
  for (let a = 0; a < s.m; a++) setFlow(s, a, s.x[a]);
}

/** Link flows as the sum of the bush flows, which removes drift of the incremental updates. */
function sumFlows(s: State): void {
  const { x, n, entStart } = s;
  const K = s.p.root.length;
  x.fill(0);
  for (let k = 0; k < K; k++) {
    const ent = s.ent[k];
    const fl = s.flow[k];
    const count = entStart[k * (n + 1) + s.topoCount[k]];
    for (let e = 0; e < count; e++) x[ent[2 * e]] += fl[e];
  }
  refreshCosts(s);
}

/**
 * Initial bushes: the free-flow shortest path trees, loaded all-or-nothing. Returns the
 * free-flow shortest path travel time Σ q·π.
 */
function initialBushes(s: State, sp: ShortestPaths): number {
  const { p, n, m, inBush, topo, topoCount, pos, entStart } = s;
  const nodeFlow = new Float64Array(n);
  refreshCosts(s);
  const cost = s.cost;
  let sptt = 0;
  for (let k = 0; k < p.root.length; k++) {
    const base = k * m;
    sp.run(p, cost, p.root[k], p.firstThru, p.zone[k]);
    nodeFlow.fill(0);
    for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) {
      nodeFlow[p.odDest[e]] += p.odTrips[e];
      sptt += p.odTrips[e] * sp.dist[p.odDest[e]];
    }
    // A tree: each node but the root has one entry, its predecessor link, in settling order.
    const cnt = sp.settled;
    const tb = k * n;
    const sb = k * (n + 1);
    let ent = s.ent[k];
    if (ent.length < 2 * cnt) {
      ent = new Int32Array(2 * (cnt + (cnt >> 2)));
      s.ent[k] = ent;
      s.flow[k] = new Float64Array(cnt + (cnt >> 2));
    }
    const fl = s.flow[k];
    for (let t = 0; t < cnt; t++) {
      const j = sp.order[t];
      topo[tb + t] = j;
      pos[j] = t;
    }
    topoCount[k] = cnt;
    entStart[sb] = 0;
    for (let t = cnt - 1; t > 0; t--) {
      const j = sp.order[t];
      const a = sp.pred[j];
      inBush[base + a] = 1;
      const f = nodeFlow[j];
      if (f > 0) nodeFlow[p.from[a]] += f;
      ent[2 * (t - 1)] = a;
      ent[2 * (t - 1) + 1] = pos[p.from[a]];
      fl[t - 1] = f;
      entStart[sb + t] = t - 1;
    }
    entStart[sb + cnt] = cnt - 1;
  }
  sumFlows(s);
  return sptt;
}

/**
 * Kahn's algorithm over bush k. Every bush link leaves a node reachable from the root, so a
 * link left unvisited means a cycle, which the bush update rules out: that is a bug.
 */
function sortBush(s: State, k: number): void {
  const { m, n, inBush, topo, indeg } = s;
  const { to, outStart, outLinks } = s.p;
  const base = k * m;
  const tb = k * n;
  indeg.fill(0);
  let links = 0;
  for (let a = 0; a < m; a++) {
    if (inBush[base + a] === 1) {
      indeg[to[a]]++;
      links++;
    }
  }
  const count = links;
  let head = 0;
  let tail = 0;
  topo[tb + tail++] = s.p.root[k];
  while (head < tail) {
    const i = topo[tb + head++];
    for (let e = outStart[i], end = outStart[i + 1]; e < end; e++) {
      const a = outLinks[e];
      if (inBush[base + a] === 1) {
        links--;
        if (--indeg[to[a]] === 0) topo[tb + tail++] = to[a];
      }
    }
  }
  s.topoCount[k] = tail;
  if (links !== 0) throw new Error(`bush of origin ${k} has a cycle`);
  buildEntries(s, k, count);
}

/**
 * The entry lists of bush k, which has `count` links, from its membership row, topological order
 * and flows in linkScratch; false (lists unusable, linkScratch kept) if a link's tail does not
 * come before its head in that order, else linkScratch is cleared.
 */
function buildEntries(s: State, k: number, count: number): boolean {
  const { m, n, inBush, topo, pos, entStart, linkScratch } = s;
  const { from, inStart, inLinks } = s.p;
  const base = k * m;
  const tb = k * n;
  const sb = k * (n + 1);
  const cnt = s.topoCount[k];
  for (let t = 0; t < cnt; t++) pos[topo[tb + t]] = t;
  let ent = s.ent[k];
  if (ent.length < 2 * count) {
    // Headroom, as bushes grow over the first iterations.
    ent = new Int32Array(2 * (count + (count >> 2)));
    s.ent[k] = ent;
    s.flow[k] = new Float64Array(count + (count >> 2));
  }
  const fl = s.flow[k];
  let w = 0;
  let ordered = true;
  for (let t = 0; t < cnt; t++) {
    entStart[sb + t] = w;
    const j = topo[tb + t];
    for (let e = inStart[j], end = inStart[j + 1]; e < end; e++) {
      const a = inLinks[e];
      if (inBush[base + a] === 0) continue;
      const i = pos[from[a]];
      if (i >= t) ordered = false;
      ent[2 * w] = a;
      ent[2 * w + 1] = i;
      fl[w] = linkScratch[a];
      w++;
    }
  }
  entStart[sb + cnt] = w;
  if (ordered) for (let e = 0; e < w; e++) linkScratch[ent[2 * e]] = 0;
  return ordered;
}

/**
 * A new order for bush k after links were added, without a full sort: U (by old position) is
 * the longest path label over the bush before the additions. Old links have U_i + c_ij <= U_j and
 * added ones U_i + c_ij < U_j, so with c >= 0 the order by (U, old position) is topological. The
 * old order was sorted the same way, so insertion sort moves few nodes; past a budget of moves
 * a full sort takes over (the first time, after Kahn's order). Negative costs, which buildEntries
 * detects, and nodes new to the bush leave it to Kahn's algorithm.
 */
function reorder(s: State, k: number): void {
  const { n, topo, U, perm, tmp } = s;
  const tb = k * n;
  const cnt = s.topoCount[k];
  for (let t = 0; t < cnt; t++) perm[t] = t;
  let budget = 8 * cnt;
  for (let t = 2; t < cnt && budget >= 0; t++) {
    const v = perm[t];
    const uv = U[v];
    let q = t - 1;
    while (q > 0 && U[perm[q]] > uv) {
      perm[q + 1] = perm[q];
      q--;
    }
    perm[q + 1] = v;
    budget -= t - 1 - q;
  }
  if (budget < 0) radixByU(s, cnt);
  for (let t = 0; t < cnt; t++) tmp[t] = topo[tb + perm[t]];
  topo.set(tmp.subarray(0, cnt), tb);
}

/**
 * perm[1..cnt) = positions 1..cnt-1 stably sorted by U: least significant byte first over the
 * bits of the doubles, which order like unsigned integers for U >= 0 (anything else makes an
 * order that buildEntries rejects). Bytes all keys share cost no pass.
 */
function radixByU(s: State, cnt: number): void {
  const { uBits, radix } = s;
  let src = s.perm;
  let dst = s.perm2;
  for (let t = 0; t < cnt; t++) src[t] = t;
  const len = cnt - 1;
  for (let d = 0; d < 8; d++) {
    const word = d >> 2;
    const shift = (d & 3) * 8;
    radix.fill(0);
    for (let t = 1; t < cnt; t++) radix[(uBits[2 * src[t] + word] >>> shift) & 255]++;
    if (radix[(uBits[2 * src[1] + word] >>> shift) & 255] === len) continue;
    let sum = 1;
    for (let b = 0; b < 256; b++) {
      const c = radix[b];
      radix[b] = sum;
      sum += c;
    }
    for (let t = 1; t < cnt; t++) {
      const v = src[t];
      dst[radix[(uBits[2 * v + word] >>> shift) & 255]++] = v;
    }
    const x = src;
    src = dst;
    dst = x;
  }
  if (src !== s.perm) s.perm.set(src.subarray(1, cnt), 1);
  s.perm[0] = 0;
}

/** Shortest (L) and longest used (U) path labels of bush k by topological position. */
function labels(s: State, k: number): void {
  const { n, cost, L, U, Lp, Up, entStart } = s;
  const ent = s.ent[k];
  const fl = s.flow[k];
  const sb = k * (n + 1);
  const cnt = s.topoCount[k];
  L[0] = 0;
  U[0] = 0;
  Lp[0] = -1;
  Up[0] = -1;
  let e = entStart[sb + 1];
  for (let t = 1; t < cnt; t++) {
    let lj = Number.POSITIVE_INFINITY;
    let uj = Number.NEGATIVE_INFINITY;
    let lp = -1;
    let up = -1;
    for (const end = entStart[sb + t + 1]; e < end; e++) {
      const a = ent[2 * e];
      const i = ent[2 * e + 1];
      const c = cost[a];
      const l = L[i] + c;
      if (l < lj) {
        lj = l;
        lp = e;
      }
      if (fl[e] > 0) {
        const u = U[i] + c;
        if (u > uj) {
          uj = u;
          up = e;
        }
      }
    }
    L[t] = lj;
    Lp[t] = lp;
    U[t] = up < 0 ? lj : uj;
    Up[t] = up;
  }
}

function updateBush(s: State, k: number): void {
  const { m, n, inBush, topo, cost, L, U, byNode, entStart, linkScratch, pos, newLinks } = s;
  const { from, to, firstThru } = s.p;
  const ent = s.ent[k];
  const fl = s.flow[k];
  const base = k * m;
  const tb = k * n;
  const sb = k * (n + 1);
  const cnt = s.topoCount[k];
  const r = s.p.root[k];
  const z = s.p.zone[k];
  // One pass in the old order: drop unused links but keep each node's shortest-path link, so
  // the bush spans every node it reached and shortcuts through currently unused nodes can still
  // be found; then the longest paths over what remains (byNode), compacting the entry lists.
  const NEG = Number.NEGATIVE_INFINITY;
  byNode.fill(NEG);
  byNode[r] = 0;
  L[0] = 0;
  U[0] = 0;
  pos[r] = 0;
  let w = 0;
  let next = entStart[sb + 1];
  for (let t = 1; t < cnt; t++) {
    const s0 = next;
    const s1 = entStart[sb + t + 1];
    next = s1;
    let lj = Number.POSITIVE_INFINITY;
    let lp = -1;
    for (let e = s0; e < s1; e++) {
      const l = L[ent[2 * e + 1]] + cost[ent[2 * e]];
      if (l < lj) {
        lj = l;
        lp = e;
      }
    }
    L[t] = lj;
    entStart[sb + t] = w;
    let uj = NEG;
    for (let e = s0; e < s1; e++) {
      const a = ent[2 * e];
      if (e !== lp && fl[e] <= 0) {
        inBush[base + a] = 0;
        continue;
      }
      const i = ent[2 * e + 1];
      const u = U[i] + cost[a];
      if (u > uj) uj = u;
      ent[2 * w] = a;
      ent[2 * w + 1] = i;
      fl[w] = fl[e];
      w++;
    }
    U[t] = uj;
    const j = topo[tb + t];
    byNode[j] = uj;
    pos[j] = t;
  }
  entStart[sb + cnt] = w;
  let added = 0;
  let grown = false;
  let forward = true;
  for (let a = 0; a < m; a++) {
    if (inBush[base + a] === 1) continue;
    const i = from[a];
    const ui = byNode[i];
    if (ui === NEG) continue;
    if (i < firstThru && i !== r && i !== z) continue;
    const j = to[a];
    if (j === r) continue;
    const uj = byNode[j];
    if (uj === NEG || ui + cost[a] < uj) {
      inBush[base + a] = 1;
      newLinks[added++] = a;
      if (uj === NEG) grown = true;
      else if (pos[i] >= pos[j]) forward = false;
    }
  }
  // Dropping links keeps the order valid; so do added links that go forward in it.
  if (added === 0) return;
  if (!grown) {
    if (forward) {
      insertEntries(s, k, w, added);
      return;
    }
    reorder(s, k);
    if (remapEntries(s, k, added)) return;
  }
  for (let e = 0; e < w; e++) linkScratch[ent[2 * e]] = fl[e];
  sortBush(s, k);
}

/**
 * Merges the `added` links in newLinks (flow 0, heads and tails at positions `pos`, tails first)
 * into bush k's `w` entries, from the back so that it can work in place.
 */
function insertEntries(s: State, k: number, w: number, added: number): void {
  const { n, pos, addEnd, addSorted, entStart } = s;
  const from = s.p.from;
  const sb = k * (n + 1);
  const cnt = s.topoCount[k];
  groupAdded(s, cnt, added);
  const total = w + added;
  let ent = s.ent[k];
  let fl = s.flow[k];
  if (ent.length < 2 * total) {
    const cap = total + (total >> 2);
    const e2 = new Int32Array(2 * cap);
    e2.set(ent.subarray(0, 2 * w));
    const f2 = new Float64Array(cap);
    f2.set(fl.subarray(0, w));
    s.ent[k] = ent = e2;
    s.flow[k] = fl = f2;
  }
  let W = total;
  let oldEnd = w;
  entStart[sb + cnt] = total;
  for (let t = cnt - 1; t > 0; t--) {
    const oldStart = entStart[sb + t];
    const gEnd = t + 1 < cnt ? addEnd[t + 1] : added;
    for (let q = gEnd - 1; q >= addEnd[t]; q--) {
      const a = addSorted[q];
      W--;
      ent[2 * W] = a;
      ent[2 * W + 1] = pos[from[a]];
      fl[W] = 0;
    }
    for (let e = oldEnd - 1; e >= oldStart; e--) {
      W--;
      ent[2 * W] = ent[2 * e];
      ent[2 * W + 1] = ent[2 * e + 1];
      fl[W] = fl[e];
    }
    entStart[sb + t] = W;
    oldEnd = oldStart;
  }
}

/** Groups the `added` links in newLinks by the position `pos` of their heads (addSorted, addEnd). */
function groupAdded(s: State, cnt: number, added: number): void {
  const { pos, newLinks, addEnd, addSorted } = s;
  const to = s.p.to;
  addEnd.fill(0, 0, cnt);
  for (let q = 0; q < added; q++) addEnd[pos[to[newLinks[q]]]]++;
  for (let t = 1; t < cnt; t++) addEnd[t] += addEnd[t - 1];
  // Filled from the back, addEnd[t] ends as the start of head t's group, i.e. the end of t - 1's.
  for (let q = added - 1; q >= 0; q--) {
    const a = newLinks[q];
    addSorted[--addEnd[pos[to[a]]]] = a;
  }
}

/**
 * Bush k's entry lists in the order reorder left in perm (new position → old), from its
 * entries in the old order and the `added` links in newLinks, with old positions in `pos`. False,
 * with the old lists kept, if some tail does not come before its head in the new order.
 */
function remapEntries(s: State, k: number, added: number): boolean {
  const { n, perm, tmp: inv, pos, addEnd, addSorted, entStart, entTmp, flowTmp, startTmp } = s;
  const from = s.p.from;
  const sb = k * (n + 1);
  const cnt = s.topoCount[k];
  const ent = s.ent[k];
  const fl = s.flow[k];
  for (let t = 0; t < cnt; t++) inv[perm[t]] = t;
  groupAdded(s, cnt, added);
  let W = 0;
  for (let t = 0; t < cnt; t++) {
    startTmp[t] = W;
    const o = perm[t];
    for (let e = entStart[sb + o], end = entStart[sb + o + 1]; e < end; e++) {
      const i = inv[ent[2 * e + 1]];
      if (i >= t) return false;
      entTmp[2 * W] = ent[2 * e];
      entTmp[2 * W + 1] = i;
      flowTmp[W] = fl[e];
      W++;
    }
    for (let q = addEnd[o], end = o + 1 < cnt ? addEnd[o + 1] : added; q < end; q++) {
      const a = addSorted[q];
      const i = inv[pos[from[a]]];
      if (i >= t) return false;
      entTmp[2 * W] = a;
      entTmp[2 * W + 1] = i;
      flowTmp[W] = 0;
      W++;
    }
  }
  startTmp[cnt] = W;
  if (ent.length < 2 * W) {
    const cap = W + (W >> 2);
    s.ent[k] = new Int32Array(2 * cap);
    s.flow[k] = new Float64Array(cap);
  }
  s.ent[k].set(entTmp.subarray(0, 2 * W));
  s.flow[k].set(flowTmp.subarray(0, W));
  entStart.set(startTmp.subarray(0, cnt + 1), sb);
  return true;
}

/** One Algorithm B flow pass over bush k; returns the largest cost difference it saw. */
function shiftFlows(s: State, k: number, threshold: number): number {
  labels(s, k);
  const { cost, der, x, L, U, Lp, Up } = s;
  const ent = s.ent[k];
  const fl = s.flow[k];
  let worst = 0;
  for (let t = s.topoCount[k] - 1; t > 0; t--) {
    const upj = Up[t];
    const lpj = Lp[t];
    if (upj < 0 || upj === lpj) continue;
    const excess = U[t] - L[t];
    if (excess > worst) worst = excess;
    if (!(excess > threshold)) continue;
    // Walk both paths back to their last common node, always stepping from the later node.
    let a = ent[2 * lpj];
    let minC = cost[a];
    let minD = der[a];
    let pn = ent[2 * lpj + 1];
    a = ent[2 * upj];
    let maxC = cost[a];
    let maxD = der[a];
    let maxF = fl[upj];
    let qn = ent[2 * upj + 1];
    let broken = false;
    while (pn !== qn) {
      if (pn > qn) {
        const e = Lp[pn];
        a = ent[2 * e];
        minC += cost[a];
        minD += der[a];
        pn = ent[2 * e + 1];
      } else {
        const e = Up[qn];
        // Rounding can leave a node with outflow but no inflow; skip such a pair.
        if (e < 0) {
          broken = true;
          break;
        }
        a = ent[2 * e];
        maxC += cost[a];
        maxD += der[a];
        const f = fl[e];
        if (f < maxF) maxF = f;
        qn = ent[2 * e + 1];
      }
    }
    const diff = maxC - minC;
    if (broken || !(diff > 0) || !(maxF > 0)) continue;
    const den = minD + maxD;
    let delta = den > 0 ? diff / den : maxF;
    if (delta > maxF) delta = maxF;
    const dv = pn;
    let q = t;
    while (q !== dv) {
      const e = Up[q];
      a = ent[2 * e];
      const f0 = fl[e];
      const f = f0 - delta;
      // Links that carried the bottleneck flow up to rounding empty completely; a residue would
      // leave a node with outflow but no inflow.
      fl[e] = f > RESIDUE * f0 ? f : 0;
      setFlow(s, a, x[a] - delta);
      q = ent[2 * e + 1];
    }
    q = t;
    while (q !== dv) {
      const e = Lp[q];
      a = ent[2 * e];
      fl[e] += delta;
      setFlow(s, a, x[a] + delta);
      q = ent[2 * e + 1];
    }
  }
  return worst;
}

/**
 * The relative gap with exact shortest path costs, started from the bushes' shortest labels:
 * they are costs of real paths, so only links of the network that improve on them need a search
 * (near equilibrium a few per origin), instead of a Dijkstra over the whole network.
 */
function bushGap(s: State, sp: ShortestPaths): { tstt: number; sptt: number; relativeGap: number } {
  const { p, m, n, topo, cost, x, L, byNode, entStart } = s;
  const { from, firstThru } = p;
  let tstt = 0;
  for (let a = 0; a < m; a++) tstt += x[a] * cost[a];
  let sptt = 0;
  const INF = Number.POSITIVE_INFINITY;
  for (let k = 0; k < p.root.length; k++) {
    const ent = s.ent[k];
    const tb = k * n;
    const sb = k * (n + 1);
    const cnt = s.topoCount[k];
    const r = p.root[k];
    byNode.fill(INF);
    byNode[r] = 0;
    L[0] = 0;
    let e = entStart[sb + 1];
    for (let t = 1; t < cnt; t++) {
      let lj = INF;
      for (const end = entStart[sb + t + 1]; e < end; e++) {
        const l = L[ent[2 * e + 1]] + cost[ent[2 * e]];
        if (l < lj) lj = l;
      }
      L[t] = lj;
      byNode[topo[tb + t]] = lj;
    }
    sp.repair(p, from, cost, byNode, r, firstThru, p.zone[k]);
    const dist = sp.dist;
    for (let e = p.odStart[k]; e < p.odStart[k + 1]; e++) sptt += p.odTrips[e] * dist[p.odDest[e]];
  }
  const relativeGap = tstt > 0 ? (tstt - sptt) / tstt : 0;
  return { tstt, sptt, relativeGap };
}

export function solveAlgorithmB(p: Problem, opts: SolveOptions): SolveOutput {
  const K = p.root.length;
  const clock = opts.clock;
  const t0 = clock ? clock() : 0;
  const elapsed = () => (clock ? clock() - t0 : 0);
  const s = createState(p);
  const sp = new ShortestPaths(p.nodeCount);
  // The first threshold needs a gap and a mean trip cost. A relative gap is at most 1 and the
  // all-or-nothing start is near that, so it is not worth a search from every origin; free-flow
  // costs stand in for the mean trip cost (lower, so the first passes rather do more).
  let lastSptt = initialBushes(s, sp);
  const log: IterationLog[] = [];
  let gap = 1;
  let iter = 0;
  let stalled = false;
  const excess = new Float64Array(K);
  let demandTotal = 0;
  for (let e = 0; e < p.odTrips.length; e++) demandTotal += p.odTrips[e];
  while (iter < opts.maxIterations) {
    iter++;
    // The mean shortest path cost scales the threshold (TSTT would not do: under elastic demand
    // it includes stay-home links at prohibitive cost). An iteration without progress drops it.
    const threshold = stalled
      ? 0
      : (THRESHOLD_SHARE * Math.max(gap * GAP_STEP, opts.gap) * lastSptt) / demandTotal;
    for (let k = 0; k < K; k++) {
      updateBush(s, k);
      excess[k] = shiftFlows(s, k, threshold);
    }
    // Passes continue while some bush is above the threshold, within a budget of bush visits:
    // when few bushes are left (typically origins whose shifts undo each other's, which only
    // many small steps resolve) passes are cheap, and spending them saves whole iterations.
    let budget = INNER_PASSES * K;
    while (budget > 0) {
      let busy = false;
      for (let k = 0; k < K; k++) {
        if (excess[k] > threshold) {
          excess[k] = shiftFlows(s, k, threshold);
          busy = true;
          budget--;
        }
      }
      if (!busy) break;
    }
    sumFlows(s);
    const measured = bushGap(s, sp);
    stalled = !(measured.relativeGap < gap);
    gap = measured.relativeGap;
    lastSptt = measured.sptt;
    const entry = {
      iteration: iter,
      relativeGap: gap,
      objective: beckmann(p.costs, s.x),
      elapsedMs: elapsed(),
    };
    log.push(entry);
    opts.onIteration?.(entry);
    if (gap <= opts.gap || entry.elapsedMs >= opts.maxMs) break;
  }
  return { flow: s.x, iterations: iter, relativeGap: gap, log };
}
