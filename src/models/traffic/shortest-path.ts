/**
 * One-to-all shortest paths by Dijkstra's algorithm with a binary heap kept in typed arrays
 * (indexed heap with decrease-key), reusable across origins without allocation.
 */

/** The graph view shortest paths need: forward star and link heads. */
export interface StarGraph {
  readonly nodeCount: number;
  readonly to: Int32Array;
  readonly outStart: Int32Array;
  readonly outLinks: Int32Array;
}

export class ShortestPaths {
  /** Distance label of each node from the last origin (Infinity if unreachable). */
  readonly dist: Float64Array;
  /** Link into each node on its shortest path, -1 at the origin and unreachable nodes. */
  readonly pred: Int32Array;
  /** Nodes in the order they were settled; the first `settled` entries are valid. */
  readonly order: Int32Array;
  settled = 0;
  private readonly heap: Int32Array;
  private readonly pos: Int32Array;
  private size = 0;

  constructor(nodeCount: number) {
    this.dist = new Float64Array(nodeCount);
    this.pred = new Int32Array(nodeCount);
    this.order = new Int32Array(nodeCount);
    this.heap = new Int32Array(nodeCount);
    this.pos = new Int32Array(nodeCount);
  }

  /**
   * Runs from `origin` over link costs `cost`. Nodes below `firstThru` other than `origin` and
   * `alsoThru` are reached but not passed through (TNTP zones that carry no through traffic).
   */
  run(g: StarGraph, cost: Float64Array, origin: number, firstThru: number, alsoThru = -1): void {
    const { dist, pred, pos } = this;
    dist.fill(Number.POSITIVE_INFINITY);
    pred.fill(-1);
    pos.fill(-1);
    this.size = 0;
    this.settled = 0;
    dist[origin] = 0;
    this.push(origin);
    this.settle(g, cost, origin, firstThru, alsoThru, true);
  }

  /**
   * Exact distances from `origin` given `initial`, costs of real paths to each node (Infinity
   * where none is known): every link that improves on them starts a Dijkstra from its head,
   * which settles only what the improvements reach. Nothing to improve costs one scan of the
   * links. `pred` and `order` are left as they were.
   */
  repair(
    g: StarGraph,
    from: Int32Array,
    cost: Float64Array,
    initial: Float64Array,
    origin: number,
    firstThru: number,
    alsoThru = -1,
  ): void {
    const { dist, pos } = this;
    const { to } = g;
    const INF = Number.POSITIVE_INFINITY;
    dist.set(initial);
    this.size = 0;
    let seeded = false;
    for (let a = 0, m = from.length; a < m; a++) {
      const i = from[a];
      const di = dist[i];
      if (di === INF || (i < firstThru && i !== origin && i !== alsoThru)) continue;
      const j = to[a];
      const nd = di + cost[a];
      if (nd < dist[j]) {
        if (!seeded) {
          pos.fill(-1);
          seeded = true;
        }
        dist[j] = nd;
        if (pos[j] < 0) this.push(j);
        else this.up(pos[j]);
      }
    }
    this.settle(g, cost, origin, firstThru, alsoThru, false);
  }

  /**
   * Dijkstra's main loop from the heap as it stands; `record` keeps the settling order and the
   * predecessor links (a repair leaves both as they were).
   */
  private settle(
    g: StarGraph,
    cost: Float64Array,
    origin: number,
    firstThru: number,
    alsoThru: number,
    record: boolean,
  ): void {
    const { dist, pred, order, pos } = this;
    const { to, outStart, outLinks } = g;
    while (this.size > 0) {
      const i = this.pop();
      if (record) order[this.settled++] = i;
      if (i < firstThru && i !== origin && i !== alsoThru) continue;
      const di = dist[i];
      for (let k = outStart[i], e = outStart[i + 1]; k < e; k++) {
        const a = outLinks[k];
        const j = to[a];
        const nd = di + cost[a];
        if (nd < dist[j]) {
          dist[j] = nd;
          if (record) pred[j] = a;
          if (pos[j] < 0) this.push(j);
          else if (pos[j] !== -2) this.up(pos[j]);
        }
      }
    }
  }

  private push(i: number): void {
    const k = this.size++;
    this.heap[k] = i;
    this.pos[i] = k;
    this.up(k);
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0];
    this.pos[top] = -2;
    const last = heap[--this.size];
    if (this.size > 0) {
      heap[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }

  private up(k: number): void {
    const { heap, pos, dist } = this;
    const i = heap[k];
    const d = dist[i];
    while (k > 0) {
      const p = (k - 1) >> 1;
      const q = heap[p];
      if (dist[q] <= d) break;
      heap[k] = q;
      pos[q] = k;
      k = p;
    }
    heap[k] = i;
    pos[i] = k;
  }

  private down(k: number): void {
    const { heap, pos, dist } = this;
    const n = this.size;
    const i = heap[k];
    const d = dist[i];
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      if (c + 1 < n && dist[heap[c + 1]] < dist[heap[c]]) c++;
      const q = heap[c];
      if (dist[q] >= d) break;
      heap[k] = q;
      pos[q] = k;
      k = c;
    }
    heap[k] = i;
    pos[i] = k;
  }
}
