/**
 * The compact road network and OD demand every traffic algorithm works on: links as parallel
 * typed arrays (structure of arrays), nodes numbered 0..nodeCount-1, zones first, plus forward and
 * backward stars so that shortest paths and bush passes never touch an object.
 */

/** What a caller provides to build a network: one entry per link in each link array. */
export interface LinkTable {
  /** Nodes are 0..nodeCount-1. */
  readonly nodeCount: number;
  /** Zones (OD centroids) are nodes 0..zoneCount-1 (the TNTP convention, zone z = node z). */
  readonly zoneCount: number;
  /**
   * Nodes below this index are zones routes may start or end at but never pass through
   * (TNTP `<FIRST THRU NODE>` minus one). 0 lets every node carry through traffic.
   */
  readonly firstThruNode: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Practical capacity, vehicles per hour (the BPR `c`). */
  readonly capacity: Float64Array;
  /** Length in the network's length unit (TNTP: as in the file; GeoJSON graphs: metres). */
  readonly length: Float64Array;
  /** Free-flow travel time in the network's time unit (minutes for TNTP and GeoJSON graphs). */
  readonly freeFlowTime: Float64Array;
  /** BPR alpha (TNTP column `b`); for conical costs unused. */
  readonly b: Float64Array;
  /** BPR power (TNTP column `power`); for conical costs it is Spiess's alpha. */
  readonly power: Float64Array;
  /** Speed limit in the network's speed unit (TNTP: as in the file; GeoJSON graphs: km/h). */
  readonly speedLimit: Float64Array;
  /** Toll in the network's money unit (TNTP: cents). */
  readonly toll: Float64Array;
  readonly linkType: Int32Array;
  /** Generalized cost weight of toll: time units per money unit. */
  readonly tollFactor: number;
  /** Generalized cost weight of length: time units per length unit. */
  readonly distanceFactor: number;
  /** External node ids (TNTP node number, OSM id); doubles because OSM ids exceed 2^31. */
  readonly nodeId: Float64Array;
  /** Node coordinates (WGS 84 lon/lat) when known. */
  readonly lon?: Float64Array;
  readonly lat?: Float64Array;
}

/** A link table with its forward and backward stars. Build with {@link buildNetwork}. */
export interface Network extends LinkTable {
  readonly linkCount: number;
  /** Links leaving node i are outLinks[outStart[i] .. outStart[i+1]), in link order. */
  readonly outStart: Int32Array;
  readonly outLinks: Int32Array;
  /** Links entering node i are inLinks[inStart[i] .. inStart[i+1]), in link order. */
  readonly inStart: Int32Array;
  readonly inLinks: Int32Array;
}

/**
 * OD demand in compressed rows by origin zone: the destinations of origin o are
 * dest[start[o] .. start[o+1]), sorted, with positive trips. Intra-zonal trips are kept aside
 * (they load no link) and counted in `intraZonalTrips`.
 */
export interface Demand {
  readonly zoneCount: number;
  readonly start: Int32Array;
  readonly dest: Int32Array;
  /** Vehicles per hour (the unit of the network's capacity). */
  readonly trips: Float64Array;
  readonly intraZonalTrips: number;
  /** Sum of `trips` (intra-zonal excluded). */
  readonly total: number;
}

/** A problem in a network or demand file or table, with where it is. */
export class NetworkFormatError extends Error {
  /** Read by the CLI runner: the message is for users and needs no stack. */
  readonly userFacing = true;
  constructor(
    readonly source: string,
    readonly line: number,
    detail: string,
  ) {
    super(line > 0 ? `${source}:${line}: ${detail}` : `${source}: ${detail}`);
    this.name = 'NetworkFormatError';
  }
}

function star(nodeCount: number, key: Int32Array): { start: Int32Array; links: Int32Array } {
  const start = new Int32Array(nodeCount + 1);
  for (let a = 0; a < key.length; a++) start[key[a] + 1]++;
  for (let i = 0; i < nodeCount; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nodeCount);
  const links = new Int32Array(key.length);
  for (let a = 0; a < key.length; a++) links[fill[key[a]]++] = a;
  return { start, links };
}

/**
 * Checks a link table once and adds its stars.
 *
 * @example
 * const net = buildNetwork({ ...table, capacity: table.capacity.map((c, a) => (a === 7 ? c / 2 : c)) });
 */
export function buildNetwork(table: LinkTable, source = 'network'): Network {
  const m = table.from.length;
  const { nodeCount, zoneCount, firstThruNode } = table;
  if (!Number.isInteger(nodeCount) || nodeCount < 0)
    throw new NetworkFormatError(source, 0, 'bad node count');
  if (!Number.isInteger(zoneCount) || zoneCount < 0 || zoneCount > nodeCount) {
    throw new NetworkFormatError(source, 0, `zone count ${zoneCount} outside 0..${nodeCount}`);
  }
  if (!Number.isInteger(firstThruNode) || firstThruNode < 0 || firstThruNode > zoneCount) {
    throw new NetworkFormatError(source, 0, `first through node ${firstThruNode} outside 0..${zoneCount}`);
  }
  const arrays = [
    table.to,
    table.capacity,
    table.length,
    table.freeFlowTime,
    table.b,
    table.power,
    table.speedLimit,
    table.toll,
    table.linkType,
  ];
  if (arrays.some((x) => x.length !== m))
    throw new NetworkFormatError(source, 0, 'link arrays differ in length');
  if (table.nodeId.length !== nodeCount)
    throw new NetworkFormatError(source, 0, 'nodeId length is not nodeCount');
  for (let a = 0; a < m; a++) {
    const i = table.from[a];
    const j = table.to[a];
    if (i < 0 || i >= nodeCount || j < 0 || j >= nodeCount) {
      throw new NetworkFormatError(source, 0, `link ${a} joins a node outside 0..${nodeCount - 1}`);
    }
    if (!(table.capacity[a] > 0) && table.b[a] !== 0) {
      throw new NetworkFormatError(source, 0, `link ${a} has capacity ${table.capacity[a]}`);
    }
    if (!(table.freeFlowTime[a] >= 0) || !(table.b[a] >= 0) || !(table.power[a] >= 0)) {
      throw new NetworkFormatError(source, 0, `link ${a} has a negative or missing cost parameter`);
    }
  }
  const out = star(nodeCount, table.from);
  const inn = star(nodeCount, table.to);
  return {
    ...table,
    linkCount: m,
    outStart: out.start,
    outLinks: out.links,
    inStart: inn.start,
    inLinks: inn.links,
  };
}

/**
 * Builds demand from OD triples (zone indices 0..zoneCount-1), summing repeated pairs and setting
 * intra-zonal trips aside.
 *
 * @example
 * const demand = buildDemand(24, [0, 0], [1, 2], [100, 50]);
 */
export function buildDemand(
  zoneCount: number,
  origin: ArrayLike<number>,
  destination: ArrayLike<number>,
  trips: ArrayLike<number>,
  source = 'demand',
): Demand {
  const n = origin.length;
  const counts = new Int32Array(zoneCount + 1);
  let intra = 0;
  for (let k = 0; k < n; k++) {
    const o = origin[k];
    const d = destination[k];
    const q = trips[k];
    if (
      !(o >= 0 && o < zoneCount && d >= 0 && d < zoneCount) ||
      !Number.isInteger(o) ||
      !Number.isInteger(d)
    ) {
      throw new NetworkFormatError(source, 0, `OD pair (${o}, ${d}) outside zones 0..${zoneCount - 1}`);
    }
    if (!(q >= 0) || !Number.isFinite(q))
      throw new NetworkFormatError(source, 0, `trips ${q} for (${o}, ${d})`);
  }
  // Sort pairs by (origin, destination) so that repeats are adjacent and rows come out sorted.
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (x, y) => origin[x] - origin[y] || destination[x] - destination[y],
  );
  const dest: number[] = [];
  const vol: number[] = [];
  let lastO = -1;
  let lastD = -1;
  for (const k of order) {
    const o = origin[k];
    const d = destination[k];
    const q = trips[k];
    if (q === 0) continue;
    if (o === d) {
      intra += q;
      continue;
    }
    if (o === lastO && d === lastD) {
      vol[vol.length - 1] += q;
    } else {
      dest.push(d);
      vol.push(q);
      counts[o + 1]++;
      lastO = o;
      lastD = d;
    }
  }
  for (let z = 0; z < zoneCount; z++) counts[z + 1] += counts[z];
  let total = 0;
  for (const q of vol) total += q;
  return {
    zoneCount,
    start: counts,
    dest: Int32Array.from(dest),
    trips: Float64Array.from(vol),
    intraZonalTrips: intra,
    total,
  };
}

/** Index of the first link from node `from` to node `to` (internal indices), or -1. */
export function findLink(net: Network, from: number, to: number): number {
  for (let k = net.outStart[from]; k < net.outStart[from + 1]; k++) {
    if (net.to[net.outLinks[k]] === to) return net.outLinks[k];
  }
  return -1;
}

/** Internal index of the node with external id `id`, or -1. */
export function nodeIndex(net: Network, id: number): number {
  // TNTP numbers nodes 1..n; try that before a scan.
  if (id >= 1 && id <= net.nodeCount && net.nodeId[id - 1] === id) return id - 1;
  return net.nodeId.indexOf(id);
}
