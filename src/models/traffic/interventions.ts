/**
 * Interventions as a JSON document, checked once, and applied to a copy of a network and its
 * demand. The baseline is never mutated: `applyInterventions` returns new typed arrays and a map
 * from every scenario link back to its baseline link.
 *
 * Document grammar (every field checked; unknown fields are errors):
 *
 *     { "name": string, "description"?: string, "valueOfTimePerHour"?: number > 0,
 *       "interventions": [ Intervention, ... ] }
 *
 *     Selection  = "links": [[from, to], ...] (external node ids) and/or "area": GeoJSON polygon,
 *                  optional "bothDirections": boolean
 *     closeLinks   Selection
 *     capacity     Selection + one of "factor" > 0, "capacityVehPerH" > 0, "lanes" + "currentLanes"
 *     speedLimit   Selection + "speedKmh" > 0
 *     addLink      "from", "to", "capacityVehPerH", "speedKmh", optional "lengthKm" (default the
 *                  great-circle distance), "b", "power", "bothDirections"
 *     toll         Selection + "toll" >= 0 (network money unit, per passage)
 *     cordon       "area" + optional "toll" >= 0 (per entry) and "allowedShare" in [0, 1]
 *     demand       "zones": [zone ids] and/or "area", "factor" >= 0, optional "direction":
 *                  "origin" | "destination" | "both" (default)
 *     fleet        "evShare" in [0, 1]
 */
import { containsPoint, type PolygonRings, type PreparedPolygon, preparePolygon } from '../social/index.ts';
import { buildDemand, buildNetwork, type Demand, type LinkTable, type Network } from './network.ts';

export type Area = PolygonRings[];
export interface LinkSelection {
  links: [number, number][];
  area?: Area;
  bothDirections: boolean;
}

export type Intervention =
  | { type: 'closeLinks'; select: LinkSelection }
  | { type: 'capacity'; select: LinkSelection; factor?: number; capacityVehPerH?: number }
  | { type: 'speedLimit'; select: LinkSelection; speedKmh: number }
  | {
      type: 'addLink';
      from: number;
      to: number;
      capacityVehPerH: number;
      speedKmh: number;
      lengthKm?: number;
      b?: number;
      power?: number;
      bothDirections: boolean;
    }
  | { type: 'toll'; select: LinkSelection; toll: number }
  | { type: 'cordon'; area: Area; toll: number; allowedShare: number }
  | {
      type: 'demand';
      zones: number[];
      area?: Area;
      factor: number;
      direction: 'origin' | 'destination' | 'both';
    }
  | { type: 'fleet'; evShare: number };

export interface InterventionDocument {
  name: string;
  description?: string;
  valueOfTimePerHour?: number;
  interventions: Intervention[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

const FIELDS: Record<Intervention['type'], string[]> = {
  closeLinks: ['links', 'area', 'bothDirections'],
  capacity: ['links', 'area', 'bothDirections', 'factor', 'capacityVehPerH', 'lanes', 'currentLanes'],
  speedLimit: ['links', 'area', 'bothDirections', 'speedKmh'],
  addLink: ['from', 'to', 'capacityVehPerH', 'speedKmh', 'lengthKm', 'b', 'power', 'bothDirections'],
  toll: ['links', 'area', 'bothDirections', 'toll'],
  cordon: ['area', 'toll', 'allowedShare'],
  demand: ['zones', 'area', 'factor', 'direction'],
  fleet: ['evShare'],
};

/** Reads a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection of them as polygon parts. */
function readArea(x: unknown, where: string, errors: string[]): Area | undefined {
  if (!isObj(x)) {
    errors.push(`${where}: expected a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection`);
    return undefined;
  }
  if (x.type === 'FeatureCollection' && Array.isArray(x.features)) {
    const parts: Area = [];
    x.features.forEach((f, i) => {
      const a = readArea(f, `${where}.features[${i}]`, errors);
      if (a) parts.push(...a);
    });
    if (parts.length === 0) errors.push(`${where}: no polygon`);
    return parts;
  }
  if (x.type === 'Feature') return readArea(x.geometry, `${where}.geometry`, errors);
  const ringOk = (r: unknown) =>
    Array.isArray(r) &&
    r.length >= 4 &&
    r.every((p) => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));
  const polyOk = (p: unknown) => Array.isArray(p) && p.length > 0 && p.every(ringOk);
  if (x.type === 'Polygon' && polyOk(x.coordinates)) return [x.coordinates as PolygonRings];
  if (x.type === 'MultiPolygon' && Array.isArray(x.coordinates) && x.coordinates.every(polyOk)) {
    return x.coordinates as Area;
  }
  errors.push(`${where}: not a valid GeoJSON Polygon or MultiPolygon (rings of ≥ 4 [lon, lat] positions)`);
  return undefined;
}

/**
 * Checks an interventions document (already parsed from JSON) and returns it typed, or every
 * problem found, each with its JSON path.
 *
 * @example parseInterventions({ name: 'close', interventions: [{ type: 'closeLinks', links: [[1, 2]] }] }).ok // true
 */
export function parseInterventions(doc: unknown): Checked<InterventionDocument> {
  const errors: string[] = [];
  if (!isObj(doc)) return { ok: false, errors: ['document: expected a JSON object'] };
  for (const k of Object.keys(doc)) {
    if (!['name', 'description', 'valueOfTimePerHour', 'interventions'].includes(k))
      errors.push(`${k}: unknown field`);
  }
  if (typeof doc.name !== 'string' || doc.name === '') errors.push('name: expected a non-empty string');
  if (doc.description !== undefined && typeof doc.description !== 'string')
    errors.push('description: expected a string');
  const vot = doc.valueOfTimePerHour;
  if (vot !== undefined && !(typeof vot === 'number' && vot > 0))
    errors.push('valueOfTimePerHour: expected a number > 0');
  if (!Array.isArray(doc.interventions)) errors.push('interventions: expected an array');
  const list: Intervention[] = [];
  (Array.isArray(doc.interventions) ? doc.interventions : []).forEach((raw, i) => {
    const at = `interventions[${i}]`;
    if (!isObj(raw)) {
      errors.push(`${at}: expected an object`);
      return;
    }
    const type = raw.type as Intervention['type'];
    if (!(typeof type === 'string' && type in FIELDS)) {
      errors.push(
        `${at}.type: expected one of ${Object.keys(FIELDS).join(', ')}, got ${JSON.stringify(raw.type)}`,
      );
      return;
    }
    for (const k of Object.keys(raw)) {
      if (k !== 'type' && !FIELDS[type].includes(k)) errors.push(`${at}.${k}: unknown field for ${type}`);
    }
    const num = (
      k: string,
      test: (v: number) => boolean,
      rule: string,
      optional = false,
    ): number | undefined => {
      const v = raw[k];
      if (v === undefined && optional) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || !test(v)) {
        errors.push(`${at}.${k}: expected ${rule}, got ${JSON.stringify(v)}`);
        return undefined;
      }
      return v;
    };
    const positive = (v: number) => v > 0;
    const nonNegative = (v: number) => v >= 0;
    const unit = (v: number) => v >= 0 && v <= 1;
    const area = raw.area === undefined ? undefined : readArea(raw.area, `${at}.area`, errors);
    const both = raw.bothDirections ?? false;
    if (typeof both !== 'boolean') errors.push(`${at}.bothDirections: expected true or false`);
    const selection = (): LinkSelection => {
      const links: [number, number][] = [];
      if (raw.links !== undefined) {
        if (!Array.isArray(raw.links)) errors.push(`${at}.links: expected an array of [from, to] node ids`);
        else {
          raw.links.forEach((l, j) => {
            if (
              Array.isArray(l) &&
              l.length === 2 &&
              l.every((n) => typeof n === 'number' && Number.isFinite(n))
            ) {
              links.push([l[0], l[1]]);
            } else errors.push(`${at}.links[${j}]: expected [from, to] node ids, got ${JSON.stringify(l)}`);
          });
        }
      }
      if (raw.links === undefined && raw.area === undefined)
        errors.push(`${at}: select links with "links" or "area"`);
      return { links, area, bothDirections: both === true };
    };
    switch (type) {
      case 'closeLinks':
        list.push({ type, select: selection() });
        break;
      case 'capacity': {
        const select = selection();
        const given = ['factor', 'capacityVehPerH', 'lanes'].filter((k) => raw[k] !== undefined);
        if (given.length !== 1)
          errors.push(`${at}: give exactly one of factor, capacityVehPerH, lanes (+ currentLanes)`);
        if (raw.lanes !== undefined) {
          const lanes = num('lanes', nonNegative, 'a number of lanes >= 0');
          const current = num('currentLanes', positive, 'the current number of lanes > 0');
          if (lanes !== undefined && current !== undefined) {
            // Capacity per lane is taken as unchanged (HCM 2016, ch. 12: base capacity per lane).
            if (lanes === 0) errors.push(`${at}.lanes: 0 lanes is a closure; use closeLinks`);
            else list.push({ type, select, factor: lanes / current });
          }
        } else if (raw.factor !== undefined) {
          const factor = num('factor', positive, 'a factor > 0');
          if (factor !== undefined) list.push({ type, select, factor });
        } else {
          const capacityVehPerH = num('capacityVehPerH', positive, 'a capacity > 0', given.length === 0);
          if (capacityVehPerH !== undefined) list.push({ type, select, capacityVehPerH });
        }
        break;
      }
      case 'speedLimit': {
        const select = selection();
        const speedKmh = num('speedKmh', positive, 'a speed in km/h > 0');
        if (speedKmh !== undefined) list.push({ type, select, speedKmh });
        break;
      }
      case 'addLink': {
        const from = num('from', () => true, 'a node id');
        const to = num('to', () => true, 'a node id');
        const capacityVehPerH = num('capacityVehPerH', positive, 'a capacity > 0');
        const speedKmh = num('speedKmh', positive, 'a speed in km/h > 0');
        const lengthKm = num('lengthKm', positive, 'a length in km > 0', true);
        const b = num('b', nonNegative, 'a BPR b >= 0', true);
        const power = num('power', nonNegative, 'a BPR power >= 0', true);
        if (from !== undefined && to !== undefined && from === to)
          errors.push(`${at}: from and to are the same node`);
        if (
          from !== undefined &&
          to !== undefined &&
          capacityVehPerH !== undefined &&
          speedKmh !== undefined
        ) {
          list.push({
            type,
            from,
            to,
            capacityVehPerH,
            speedKmh,
            lengthKm,
            b,
            power,
            bothDirections: both === true,
          });
        }
        break;
      }
      case 'toll': {
        const select = selection();
        const toll = num('toll', nonNegative, 'a toll >= 0');
        if (toll !== undefined) list.push({ type, select, toll });
        break;
      }
      case 'cordon': {
        if (raw.area === undefined) errors.push(`${at}.area: a cordon needs its polygon`);
        const toll = num('toll', nonNegative, 'a toll >= 0', true) ?? 0;
        const allowedShare = num('allowedShare', unit, 'a share in [0, 1]', true) ?? 1;
        if (raw.toll === undefined && raw.allowedShare === undefined) {
          errors.push(`${at}: a cordon needs a toll, an allowedShare or both`);
        }
        if (area) list.push({ type, area, toll, allowedShare });
        break;
      }
      case 'demand': {
        const zones: number[] = [];
        if (raw.zones !== undefined) {
          if (
            Array.isArray(raw.zones) &&
            raw.zones.every((z) => typeof z === 'number' && Number.isInteger(z))
          ) {
            zones.push(...(raw.zones as number[]));
          } else errors.push(`${at}.zones: expected an array of zone ids`);
        }
        if (raw.zones === undefined && raw.area === undefined)
          errors.push(`${at}: select zones with "zones" or "area"`);
        const factor = num('factor', nonNegative, 'a factor >= 0');
        const direction = raw.direction ?? 'both';
        if (!['origin', 'destination', 'both'].includes(direction as string)) {
          errors.push(`${at}.direction: expected origin, destination or both`);
        }
        if (factor !== undefined) {
          list.push({ type, zones, area, factor, direction: direction as 'origin' | 'destination' | 'both' });
        }
        break;
      }
      case 'fleet': {
        const evShare = num('evShare', unit, 'a share in [0, 1]');
        if (evShare !== undefined) list.push({ type, evShare });
        break;
      }
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name: doc.name as string,
      description: doc.description as string | undefined,
      valueOfTimePerHour: vot as number | undefined,
      interventions: list,
    },
  };
}

export interface NetworkUnits {
  /** Kilometres per network length unit (TNTP miles 1.609344, GeoJSON graphs metres 0.001). */
  lengthKm: number;
  /** Hours per network time unit (minutes: 1/60). */
  timeH: number;
}

/** A baseline and its scenario, ready to assign. */
export interface AppliedScenario {
  /** The baseline with the document's value of time applied to its tolls (else unchanged). */
  baseline: Network;
  network: Network;
  demand: Demand;
  /** Scenario link → baseline link, −1 for an added link. */
  linkOrigin: Int32Array;
  /** Baseline links removed by the scenario. */
  closedLinks: number[];
  /** Money toll per passage of each scenario link (cordon charges included). */
  tollMoney: Float64Array;
  /** Penalty in time units on cordon entries that bans through traffic (0 elsewhere). */
  banPenalty: Float64Array;
  /** Battery-electric share set by a fleet intervention, or null. */
  evShare: number | null;
  /** Nodes inside any cordon (1) or not (0). */
  insideCordon: Uint8Array;
  /** Nodes inside a cordon that bans through traffic (allowedShare < 1). */
  insideBan: Uint8Array;
  /** One line per intervention saying what it changed. */
  changes: string[];
}

/** Great-circle distance (haversine, IUGG mean radius). */
function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const s =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(s)));
}

interface Work {
  from: number[];
  to: number[];
  capacity: number[];
  length: number[];
  fft: number[];
  b: number[];
  power: number[];
  speed: number[];
  toll: number[];
  penalty: number[];
  type: number[];
  origin: number[];
  alive: boolean[];
}

/**
 * Applies a checked document to a baseline network and demand, in document order. Tolls become
 * generalized cost through the value of time (document) or the network's toll factor; a cordon
 * with allowedShare < 1 keeps that share of the trips crossing its boundary and bans through
 * traffic with an entry penalty larger than any acyclic path's free-flow time, so allowed trips
 * (which enter once whatever their route) keep their routes while through trips go around.
 *
 * @example applyInterventions(net, demand, doc, { lengthKm: 1.609344, timeH: 1 / 60 })
 */
export function applyInterventions(
  base: Network,
  demand: Demand,
  doc: InterventionDocument,
  units: NetworkUnits,
): Checked<AppliedScenario> {
  const errors: string[] = [];
  const changes: string[] = [];
  const n = base.nodeCount;
  const idToNode = new Map<number, number>();
  for (let i = 0; i < n; i++) idToNode.set(base.nodeId[i], i);
  const hasCoords = base.lon !== undefined && base.lat !== undefined;
  const needsToll = doc.interventions.some(
    (iv) => (iv.type === 'toll' || iv.type === 'cordon') && iv.toll > 0,
  );
  // Minutes (network time units) per money unit.
  const tollFactor = doc.valueOfTimePerHour ? 1 / (doc.valueOfTimePerHour * units.timeH) : base.tollFactor;
  if (needsToll && !(tollFactor > 0)) {
    errors.push('valueOfTimePerHour: tolls need a value of time; the network has no toll factor');
  }
  const m = base.linkCount;
  const w: Work = {
    from: Array.from(base.from),
    to: Array.from(base.to),
    capacity: Array.from(base.capacity),
    length: Array.from(base.length),
    fft: Array.from(base.freeFlowTime),
    b: Array.from(base.b),
    power: Array.from(base.power),
    speed: Array.from(base.speedLimit),
    toll: Array.from(base.toll),
    penalty: new Array<number>(m).fill(0),
    type: Array.from(base.linkType),
    origin: Array.from({ length: m }, (_, a) => a),
    alive: new Array<boolean>(m).fill(true),
  };
  const insideCordon = new Uint8Array(n);
  const insideBan = new Uint8Array(n);
  let evShare: number | null = null;
  const odFactor = new Float64Array(demand.dest.length).fill(1);
  const zoneOf = new Int32Array(demand.dest.length);
  for (let o = 0; o < demand.zoneCount; o++)
    for (let e = demand.start[o]; e < demand.start[o + 1]; e++) zoneOf[e] = o;
  let fftSum = 0;
  for (let a = 0; a < m; a++) fftSum += base.freeFlowTime[a];

  const nodesIn = (area: Area, at: string): Uint8Array | undefined => {
    if (!hasCoords) {
      errors.push(`${at}.area: the network has no node coordinates`);
      return undefined;
    }
    const prepared: PreparedPolygon = preparePolygon(area);
    const inside = new Uint8Array(n);
    for (let i = 0; i < n; i++) inside[i] = containsPoint(prepared, base.lon![i], base.lat![i]) ? 1 : 0;
    return inside;
  };
  const node = (id: number, at: string): number => {
    const i = idToNode.get(id);
    if (i === undefined) errors.push(`${at}: no node ${id} in the network`);
    return i ?? -1;
  };
  const select = (s: LinkSelection, at: string): number[] => {
    const chosen = new Set<number>();
    s.links.forEach(([f, t], j) => {
      const i = node(f, `${at}.links[${j}]`);
      const k = node(t, `${at}.links[${j}]`);
      if (i < 0 || k < 0) return;
      let found = false;
      for (let a = 0; a < w.from.length; a++) {
        if (!w.alive[a]) continue;
        if ((w.from[a] === i && w.to[a] === k) || (s.bothDirections && w.from[a] === k && w.to[a] === i)) {
          chosen.add(a);
          found = true;
        }
      }
      if (!found) errors.push(`${at}.links[${j}]: no open link from ${f} to ${t}`);
    });
    if (s.area) {
      const inside = nodesIn(s.area, at);
      if (inside) {
        // A link is in an area when both its ends are: a street, not one that merely touches it.
        for (let a = 0; a < w.from.length; a++)
          if (w.alive[a] && inside[w.from[a]] && inside[w.to[a]]) chosen.add(a);
      }
    }
    if (chosen.size === 0 && errors.length === 0) errors.push(`${at}: selects no link`);
    return [...chosen].sort((x, y) => x - y);
  };
  const addLink = (
    i: number,
    k: number,
    capacity: number,
    lengthUnits: number,
    fft: number,
    b: number,
    power: number,
    speed: number,
  ) => {
    w.from.push(i);
    w.to.push(k);
    w.capacity.push(capacity);
    w.length.push(lengthUnits);
    w.fft.push(fft);
    w.b.push(b);
    w.power.push(power);
    w.speed.push(speed);
    w.toll.push(0);
    w.penalty.push(0);
    w.type.push(0);
    w.origin.push(-1);
    w.alive.push(true);
  };

  doc.interventions.forEach((iv, idx) => {
    const at = `interventions[${idx}]`;
    switch (iv.type) {
      case 'closeLinks': {
        const links = select(iv.select, at);
        for (const a of links) w.alive[a] = false;
        changes.push(`${at} closeLinks: ${links.length} link(s) closed`);
        break;
      }
      case 'capacity': {
        const links = select(iv.select, at);
        for (const a of links)
          w.capacity[a] = iv.factor !== undefined ? w.capacity[a] * iv.factor : iv.capacityVehPerH!;
        changes.push(
          `${at} capacity: ${links.length} link(s) ${iv.factor !== undefined ? `× ${iv.factor}` : `set to ${iv.capacityVehPerH} veh/h`}`,
        );
        break;
      }
      case 'speedLimit': {
        const links = select(iv.select, at);
        // The free-flow speed becomes the limit: fft = length / limit (a higher limit also speeds up).
        for (const a of links) {
          w.fft[a] = (w.length[a] * units.lengthKm) / iv.speedKmh / units.timeH;
          w.speed[a] = iv.speedKmh;
        }
        changes.push(`${at} speedLimit: ${links.length} link(s) at ${iv.speedKmh} km/h`);
        break;
      }
      case 'addLink': {
        const i = node(iv.from, `${at}.from`);
        const k = node(iv.to, `${at}.to`);
        if (i < 0 || k < 0) break;
        let km = iv.lengthKm;
        if (km === undefined) {
          if (!hasCoords) {
            errors.push(`${at}.lengthKm: needed, the network has no node coordinates`);
            break;
          }
          km = distanceKm(base.lon![i], base.lat![i], base.lon![k], base.lat![k]);
        }
        // BPR defaults of the Bureau of Public Roads (1964): b = 0.15, power = 4.
        const b = iv.b ?? 0.15;
        const p = iv.power ?? 4;
        const fft = km / iv.speedKmh / units.timeH;
        addLink(i, k, iv.capacityVehPerH, km / units.lengthKm, fft, b, p, iv.speedKmh);
        if (iv.bothDirections) addLink(k, i, iv.capacityVehPerH, km / units.lengthKm, fft, b, p, iv.speedKmh);
        changes.push(
          `${at} addLink: ${iv.from} → ${iv.to}${iv.bothDirections ? ' and back' : ''}, ${km.toFixed(3)} km`,
        );
        break;
      }
      case 'toll': {
        const links = select(iv.select, at);
        for (const a of links) w.toll[a] = iv.toll;
        changes.push(`${at} toll: ${iv.toll} on ${links.length} link(s)`);
        break;
      }
      case 'cordon': {
        const inside = nodesIn(iv.area, at);
        if (!inside) break;
        let entries = 0;
        for (let a = 0; a < w.from.length; a++) {
          if (!w.alive[a] || inside[w.from[a]] || !inside[w.to[a]]) continue;
          entries++;
          w.toll[a] += iv.toll;
          if (iv.allowedShare < 1) w.penalty[a] = Math.max(w.penalty[a], fftSum);
        }
        let crossing = 0;
        let kept = 0;
        if (iv.allowedShare < 1) {
          for (let e = 0; e < demand.dest.length; e++) {
            if (inside[zoneOf[e]] !== inside[demand.dest[e]]) {
              crossing += demand.trips[e] * odFactor[e];
              odFactor[e] *= iv.allowedShare;
              kept += demand.trips[e] * odFactor[e];
            }
          }
        }
        for (let i = 0; i < n; i++) {
          insideCordon[i] |= inside[i];
          if (iv.allowedShare < 1) insideBan[i] |= inside[i];
        }
        let nodes = 0;
        for (let i = 0; i < n; i++) nodes += inside[i];
        if (entries === 0) errors.push(`${at}: no link enters the cordon (${nodes} node(s) inside)`);
        changes.push(
          `${at} cordon: ${nodes} node(s) inside, ${entries} entry link(s), toll ${iv.toll}` +
            (iv.allowedShare < 1
              ? `, ${kept.toFixed(1)} of ${crossing.toFixed(1)} crossing trips allowed, through traffic banned`
              : ''),
        );
        break;
      }
      case 'demand': {
        const zones = new Uint8Array(demand.zoneCount);
        iv.zones.forEach((z, j) => {
          const i = node(z, `${at}.zones[${j}]`);
          if (i >= demand.zoneCount) errors.push(`${at}.zones[${j}]: node ${z} is not a zone`);
          else if (i >= 0) zones[i] = 1;
        });
        if (iv.area) {
          const inside = nodesIn(iv.area, at);
          if (inside) for (let z = 0; z < demand.zoneCount; z++) zones[z] |= inside[z];
        }
        let before = 0;
        let after = 0;
        for (let e = 0; e < demand.dest.length; e++) {
          const hit =
            (iv.direction !== 'destination' && zones[zoneOf[e]]) ||
            (iv.direction !== 'origin' && zones[demand.dest[e]]);
          if (!hit) continue;
          before += demand.trips[e] * odFactor[e];
          odFactor[e] *= iv.factor;
          after += demand.trips[e] * odFactor[e];
        }
        changes.push(
          `${at} demand: trips of ${zones.reduce((s, z) => s + z, 0)} zone(s) ${before.toFixed(1)} → ${after.toFixed(1)}`,
        );
        break;
      }
      case 'fleet':
        evShare = iv.evShare;
        changes.push(`${at} fleet: EV share ${iv.evShare}`);
        break;
    }
  });
  if (errors.length > 0) return { ok: false, errors };

  const keep: number[] = [];
  for (let a = 0; a < w.from.length; a++) if (w.alive[a]) keep.push(a);
  const pickF = (xs: number[]) => Float64Array.from(keep, (a) => xs[a]);
  const tollMoney = pickF(w.toll);
  const banPenalty = pickF(w.penalty);
  // Generalized cost in time units carried by `toll` with factor 1: money × factor + ban penalty.
  const timeToll = Float64Array.from(
    keep,
    (a) => (tollFactor > 0 ? w.toll[a] * tollFactor : 0) + w.penalty[a],
  );
  const table: LinkTable = {
    ...base,
    from: Int32Array.from(keep, (a) => w.from[a]),
    to: Int32Array.from(keep, (a) => w.to[a]),
    capacity: pickF(w.capacity),
    length: pickF(w.length),
    freeFlowTime: pickF(w.fft),
    b: pickF(w.b),
    power: pickF(w.power),
    speedLimit: pickF(w.speed),
    toll: timeToll,
    linkType: Int32Array.from(keep, (a) => w.type[a]),
    tollFactor: 1,
  };
  const closedLinks: number[] = [];
  for (let a = 0; a < m; a++) if (!w.alive[a]) closedLinks.push(a);

  const origin: number[] = [];
  const dest: number[] = [];
  const trips: number[] = [];
  for (let e = 0; e < demand.dest.length; e++) {
    origin.push(zoneOf[e]);
    dest.push(demand.dest[e]);
    trips.push(demand.trips[e] * odFactor[e]);
  }
  const baseline =
    doc.valueOfTimePerHour && tollFactor !== base.tollFactor
      ? buildNetwork({ ...base, tollFactor }, 'baseline')
      : base;
  return {
    ok: true,
    value: {
      baseline,
      network: buildNetwork(table, 'scenario'),
      demand: buildDemand(demand.zoneCount, origin, dest, trips, 'scenario demand'),
      linkOrigin: Int32Array.from(keep, (a) => w.origin[a]),
      closedLinks,
      tollMoney,
      banPenalty,
      evShare,
      insideCordon,
      insideBan,
      changes,
    },
  };
}
