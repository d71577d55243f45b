/**
 * Interventions as a JSON document, checked once (apply-interventions.ts applies them to a copy of
 * a network and its demand).
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
import type { PolygonRings } from '../social/index.ts';

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
