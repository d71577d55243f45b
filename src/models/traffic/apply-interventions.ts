/**
 * A checked interventions document applied to a copy of a network and its demand. The baseline is
 * never mutated: `applyInterventions` returns new typed arrays and a map from every scenario link
 * back to its baseline link.
 */
import { containsPoint, type PreparedPolygon, preparePolygon } from '../social/index.ts';
import type { Area, Checked, InterventionDocument, LinkSelection } from './interventions.ts';
import { buildDemand, buildNetwork, type Demand, type LinkTable, type Network } from './network.ts';

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
