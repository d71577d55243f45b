/**
 * Road networks from OSMnx-style GeoJSON: an edges FeatureCollection (LineStrings with `u`, `v`,
 * `highway`, `oneway`, `lanes`, `maxspeed`, `length` in metres, one feature per direction) and a
 * nodes FeatureCollection (Points with `osmid`). Capacity and free-flow speed come from the tags
 * where present and from a documented table by road class where not. Zones are centroids given
 * by the caller, joined to the nearest graph node by two connector links.
 */
import { buildNetwork, type Network, NetworkFormatError } from './network.ts';

/** Per road class: lanes per direction, free-flow speed (km/h), capacity per lane (veh/h). */
export interface RoadClassDefaults {
  lanes: number;
  speedKmh: number;
  capacityPerLane: number;
}

/**
 * Defaults by OSM `highway` class, after the highway defaults of MATSim's OSM network reader
 * (org.matsim.core.utils.io.OsmNetworkReader: lanes, free speed, capacity per lane), which follow
 * HCM-style per-lane capacities. `busway` (bus only) gets the `living_street` values.
 */
export const ROAD_CLASS_DEFAULTS: Readonly<Record<string, RoadClassDefaults>> = {
  motorway: { lanes: 2, speedKmh: 120, capacityPerLane: 2000 },
  motorway_link: { lanes: 1, speedKmh: 80, capacityPerLane: 1500 },
  trunk: { lanes: 1, speedKmh: 80, capacityPerLane: 2000 },
  trunk_link: { lanes: 1, speedKmh: 50, capacityPerLane: 1500 },
  primary: { lanes: 1, speedKmh: 80, capacityPerLane: 1500 },
  primary_link: { lanes: 1, speedKmh: 60, capacityPerLane: 1500 },
  secondary: { lanes: 1, speedKmh: 60, capacityPerLane: 1000 },
  secondary_link: { lanes: 1, speedKmh: 60, capacityPerLane: 1000 },
  tertiary: { lanes: 1, speedKmh: 45, capacityPerLane: 600 },
  tertiary_link: { lanes: 1, speedKmh: 45, capacityPerLane: 600 },
  unclassified: { lanes: 1, speedKmh: 45, capacityPerLane: 600 },
  residential: { lanes: 1, speedKmh: 30, capacityPerLane: 600 },
  living_street: { lanes: 1, speedKmh: 15, capacityPerLane: 300 },
  busway: { lanes: 1, speedKmh: 15, capacityPerLane: 300 },
  service: { lanes: 1, speedKmh: 15, capacityPerLane: 300 },
};
const FALLBACK_CLASS = 'unclassified';

/** Implicit Italian limits of `maxspeed=IT:*` (Codice della Strada, art. 142), km/h. */
const IMPLICIT_SPEED: Readonly<Record<string, number>> = {
  'IT:urban': 50,
  'IT:rural': 90,
  'IT:trunk': 110,
  'IT:motorway': 130,
};

/** BPR parameters of the original Bureau of Public Roads (1964) curve. */
const BPR_B = 0.15;
const BPR_POWER = 4;
/** Connector speed from a zone centroid to its node (km/h): a short urban access trip. */
const CONNECTOR_SPEED_KMH = 30;
/** Connectors never congest. */
const CONNECTOR_CAPACITY = 1e6;
const EARTH_RADIUS_M = 6371008.8;

export interface ZoneCentroid {
  /** External id reported for the centroid node. */
  id: number;
  lon: number;
  lat: number;
}

export interface GeoJsonNetworkOptions {
  source?: string;
  /** Zone centroids; they become nodes 0..zones-1 and carry no through traffic. */
  zones?: ZoneCentroid[];
  /** Replace entries of the road class table. */
  defaults?: Record<string, RoadClassDefaults>;
}

export interface GeoJsonNetwork {
  network: Network;
  /** Per link: OSM `highway` class (first one when several), `name` ('' if none). */
  highway: string[];
  name: string[];
  /** Per link: the edge feature it came from, -1 for zone connectors. */
  feature: Int32Array;
  /** Per zone: the graph node index it is connected to. */
  zoneNode: Int32Array;
}

interface Feature {
  properties?: Record<string, unknown> | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

function features(text: string, source: string): Feature[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new NetworkFormatError(source, 0, `not JSON: ${(err as Error).message}`);
  }
  const fs = (doc as { features?: unknown }).features;
  if (!Array.isArray(fs)) throw new NetworkFormatError(source, 0, 'not a GeoJSON FeatureCollection');
  return fs as Feature[];
}

/** First of a tag that OSMnx may have merged into a list. */
function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/** Smallest number in a tag (a merged edge takes its most restrictive part). */
function smallestNumber(v: unknown, implicit?: Readonly<Record<string, number>>): number {
  const values = Array.isArray(v) ? v : [v];
  let best = Number.NaN;
  for (const x of values) {
    let n = Number.NaN;
    if (typeof x === 'number') n = x;
    else if (typeof x === 'string') {
      const s = x.trim();
      if (implicit && s in implicit) n = implicit[s];
      else {
        const m = /^(\d+(?:\.\d+)?)\s*(mph)?$/.exec(s);
        if (m) n = Number(m[1]) * (m[2] ? 1.609344 : 1);
      }
    }
    if (n > 0 && !(n >= best)) best = n;
  }
  return best;
}

function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Builds a network from OSMnx GeoJSON edges and nodes.
 *
 * @example
 * const { network } = parseGeoJsonNetwork(edgesText, nodesText, { zones: [{ id: 1, lon: 11.34, lat: 44.49 }] });
 */
export function parseGeoJsonNetwork(
  edgesText: string,
  nodesText: string,
  options: GeoJsonNetworkOptions = {},
): GeoJsonNetwork {
  const source = options.source ?? 'geojson';
  const table = { ...ROAD_CLASS_DEFAULTS, ...options.defaults };
  const zones = options.zones ?? [];
  const Z = zones.length;
  const nodeFeatures = features(nodesText, `${source} (nodes)`);
  const index = new Map<number, number>();
  const ids: number[] = [];
  const lons: number[] = [];
  const lats: number[] = [];
  for (const z of zones) {
    ids.push(z.id);
    lons.push(z.lon);
    lats.push(z.lat);
  }
  nodeFeatures.forEach((f, k) => {
    const id = Number(f.properties?.osmid);
    const c = f.geometry?.coordinates;
    if (!Number.isFinite(id) || !Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') {
      throw new NetworkFormatError(
        `${source} (nodes)`,
        0,
        `feature ${k}: needs properties.osmid and a Point`,
      );
    }
    if (index.has(id))
      throw new NetworkFormatError(`${source} (nodes)`, 0, `feature ${k}: node ${id} appears twice`);
    index.set(id, ids.length);
    ids.push(id);
    lons.push(c[0]);
    lats.push(c[1]);
  });
  const edgeFeatures = features(edgesText, `${source} (edges)`);
  const from: number[] = [];
  const to: number[] = [];
  const capacity: number[] = [];
  const length: number[] = [];
  const fft: number[] = [];
  const speed: number[] = [];
  const linkType: number[] = [];
  const highway: string[] = [];
  const name: string[] = [];
  const feature: number[] = [];
  const classes = Object.keys(table);
  edgeFeatures.forEach((f, k) => {
    const p = f.properties ?? {};
    const u = index.get(Number(p.u));
    const v = index.get(Number(p.v));
    if (u === undefined || v === undefined) {
      throw new NetworkFormatError(
        `${source} (edges)`,
        0,
        `feature ${k}: u ${String(p.u)} or v ${String(p.v)} is not a node`,
      );
    }
    const lengthM = Number(p.length);
    if (!(lengthM >= 0))
      throw new NetworkFormatError(`${source} (edges)`, 0, `feature ${k}: bad length ${String(p.length)}`);
    const cls = String(first(p.highway) ?? FALLBACK_CLASS);
    const d = table[cls] ?? table[FALLBACK_CLASS];
    const tagged = smallestNumber(p.lanes);
    // OSM `lanes` counts both directions of a two-way road; each directed edge gets half.
    const lanes = Number.isFinite(tagged) ? Math.max(1, p.oneway === true ? tagged : tagged / 2) : d.lanes;
    const maxspeed = smallestNumber(p.maxspeed, IMPLICIT_SPEED);
    const kmh = Number.isFinite(maxspeed) ? maxspeed : d.speedKmh;
    from.push(u);
    to.push(v);
    capacity.push(lanes * d.capacityPerLane);
    length.push(lengthM);
    fft.push(lengthM / ((kmh * 1000) / 60));
    speed.push(kmh);
    linkType.push(classes.indexOf(cls) + 1);
    highway.push(cls);
    name.push(typeof first(p.name) === 'string' ? String(first(p.name)) : '');
    feature.push(k);
  });
  const zoneNode = new Int32Array(Z);
  // Zones join the largest strongly connected part of the graph: a clipped or raw OSM graph has
  // dead ends and one-way stubs from which not every other node can be reached.
  const main =
    Z > 0 ? largestStrongComponent(ids.length, Z, Int32Array.from(from), Int32Array.from(to)) : null;
  for (let z = 0; z < Z; z++) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = Z; i < ids.length; i++) {
      if (main && main[i] === 0) continue;
      const dist = haversineM(lons[z], lats[z], lons[i], lats[i]);
      if (dist < bestD) {
        bestD = dist;
        best = i;
      }
    }
    if (best < 0) throw new NetworkFormatError(source, 0, 'zones given but the graph has no nodes');
    zoneNode[z] = best;
    for (const [a, b] of [
      [z, best],
      [best, z],
    ]) {
      from.push(a);
      to.push(b);
      capacity.push(CONNECTOR_CAPACITY);
      length.push(bestD);
      fft.push(bestD / ((CONNECTOR_SPEED_KMH * 1000) / 60));
      speed.push(CONNECTOR_SPEED_KMH);
      linkType.push(0);
      highway.push('connector');
      name.push('');
      feature.push(-1);
    }
  }
  const m = from.length;
  const network = buildNetwork(
    {
      nodeCount: ids.length,
      zoneCount: Z,
      firstThruNode: Z,
      from: Int32Array.from(from),
      to: Int32Array.from(to),
      capacity: Float64Array.from(capacity),
      length: Float64Array.from(length),
      freeFlowTime: Float64Array.from(fft),
      b: Float64Array.from(feature, (f) => (f < 0 ? 0 : BPR_B)),
      power: new Float64Array(m).fill(BPR_POWER),
      speedLimit: Float64Array.from(speed),
      toll: new Float64Array(m),
      linkType: Int32Array.from(linkType),
      tollFactor: 0,
      distanceFactor: 0,
      nodeId: Float64Array.from(ids),
      lon: Float64Array.from(lons),
      lat: Float64Array.from(lats),
    },
    source,
  );
  return { network, highway, name, feature: Int32Array.from(feature), zoneNode };
}

/**
 * Marks the nodes of the largest strongly connected component (Kosaraju: finishing order by an
 * iterative depth-first search, then a search on the reversed graph), ignoring nodes below `skip`.
 */
function largestStrongComponent(n: number, skip: number, from: Int32Array, to: Int32Array): Uint8Array {
  const star = (key: Int32Array, val: Int32Array) => {
    const start = new Int32Array(n + 1);
    for (let a = 0; a < key.length; a++) start[key[a] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const adj = new Int32Array(key.length);
    for (let a = 0; a < key.length; a++) adj[fill[key[a]]++] = val[a];
    return { start, adj };
  };
  const fwd = star(from, to);
  const bwd = star(to, from);
  const seen = new Uint8Array(n);
  const finish = new Int32Array(n);
  let nf = 0;
  const stack = new Int32Array(n);
  const edge = new Int32Array(n);
  for (let r = skip; r < n; r++) {
    if (seen[r]) continue;
    let top = 0;
    stack[0] = r;
    edge[0] = fwd.start[r];
    seen[r] = 1;
    while (top >= 0) {
      const i = stack[top];
      if (edge[top] < fwd.start[i + 1]) {
        const j = fwd.adj[edge[top]++];
        if (!seen[j] && j >= skip) {
          seen[j] = 1;
          stack[++top] = j;
          edge[top] = fwd.start[j];
        }
      } else {
        finish[nf++] = i;
        top--;
      }
    }
  }
  const comp = new Int32Array(n).fill(-1);
  const size: number[] = [];
  for (let f = nf - 1; f >= 0; f--) {
    const r = finish[f];
    if (comp[r] >= 0) continue;
    const c = size.length;
    let count = 0;
    let top = 0;
    stack[0] = r;
    comp[r] = c;
    while (top >= 0) {
      const i = stack[top--];
      count++;
      for (let k = bwd.start[i]; k < bwd.start[i + 1]; k++) {
        const j = bwd.adj[k];
        if (comp[j] < 0 && j >= skip) {
          comp[j] = c;
          stack[++top] = j;
        }
      }
    }
    size.push(count);
  }
  let best = 0;
  for (let c = 1; c < size.length; c++) if (size[c] > size[best]) best = c;
  const mark = new Uint8Array(n);
  for (let i = skip; i < n; i++) if (comp[i] === best) mark[i] = 1;
  return mark;
}
