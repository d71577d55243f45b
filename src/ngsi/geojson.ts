/**
 * Strict validation of GeoJSON geometries (RFC 7946, section 3.1) as NGSI-LD GeoProperty values
 * and geoQ reference geometries (ETSI GS CIM 009 v1.8, clauses 4.7 and 4.10).
 */

import { badRequest, ok, type Result } from './errors.ts';
import type { GeoJsonGeometry } from './query-ast.ts';

type GeometryType = GeoJsonGeometry['type'];

/** Empty Multi* geometries are refused: they select nothing and have no bounding box. */
/** Nesting depth of `coordinates` per type: a position is depth 0 (RFC 7946, 3.1.2–3.1.7). */
const DEPTH: Record<GeometryType, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** The geometry types NGSI-LD stores and queries, in RFC 7946 order. */
export const GEOMETRY_TYPES = Object.keys(DEPTH) as readonly GeometryType[];

class GeometryError {
  constructor(readonly detail: string) {}
}

/**
 * Checks that `g` is a GeoJSON geometry NGSI-LD can store and query: a known type, coordinates
 * nested as the type needs, positions of 2 or 3 finite numbers with longitude in [-180, 180] and
 * latitude in [-90, 90], LineStrings of at least 2 positions, linear rings closed and of at least
 * 4 positions. `label` names the value in the detail.
 *
 * @example
 * validateGeometry({ type: 'Point', coordinates: [13.3986, 52.5547] })
 * // { ok: true, value: { type: 'Point', coordinates: [13.3986, 52.5547] } }
 */
export function validateGeometry(g: unknown, label = 'geometry'): Result<GeoJsonGeometry> {
  try {
    if (g === null || typeof g !== 'object' || Array.isArray(g)) {
      throw new GeometryError(`${label}: must be a GeoJSON geometry object`);
    }
    const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
    if (typeof type !== 'string') throw new GeometryError(`${label}: member "type" must be a string`);
    if (type === 'GeometryCollection') {
      throw new GeometryError(`${label}: GeometryCollection is not supported, use a Multi* geometry`);
    }
    if (!Object.hasOwn(DEPTH, type)) {
      throw new GeometryError(
        `${label}: unknown geometry type "${type}" (expected Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon)`,
      );
    }
    if (coordinates === undefined) throw new GeometryError(`${label}: ${type} needs a "coordinates" member`);
    const geometryType = type as GeometryType;
    checkCoordinates(geometryType, coordinates, `${label}.coordinates`);
    return ok({ type: geometryType, coordinates });
  } catch (e) {
    if (e instanceof GeometryError) return badRequest(e.detail);
    throw e;
  }
}

function checkCoordinates(type: GeometryType, c: unknown, at: string): void {
  const check: Record<GeometryType, (c: unknown, at: string) => void> = {
    Point: checkPosition,
    MultiPoint: (m, a) => eachOf(m, a, 1, checkPosition),
    LineString: checkLine,
    MultiLineString: (m, a) => eachOf(m, a, 1, checkLine),
    Polygon: checkPolygon,
    MultiPolygon: (m, a) => eachOf(m, a, 1, checkPolygon),
  };
  check[type](c, at);
}

function eachOf(c: unknown, at: string, min: number, check: (item: unknown, at: string) => void): void {
  if (!Array.isArray(c)) throw new GeometryError(`${at}: must be an array`);
  if (c.length < min) throw new GeometryError(`${at}: needs at least ${min} element${min === 1 ? '' : 's'}`);
  for (let i = 0; i < c.length; i++) check(c[i], `${at}[${i}]`);
}

function checkPosition(p: unknown, at: string): void {
  if (!Array.isArray(p)) throw new GeometryError(`${at}: a position must be an array [longitude, latitude]`);
  if (p.length < 2 || p.length > 3) {
    throw new GeometryError(`${at}: a position has 2 or 3 numbers, found ${p.length}`);
  }
  p.forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new GeometryError(
        `${at}[${i}]: must be a finite number, found ${JSON.stringify(n) ?? String(n)}`,
      );
    }
  });
  const [lon, lat] = p as number[];
  if (lon < -180 || lon > 180) throw new GeometryError(`${at}: longitude ${lon} is outside [-180, 180]`);
  if (lat < -90 || lat > 90) throw new GeometryError(`${at}: latitude ${lat} is outside [-90, 90]`);
}

function checkLine(c: unknown, at: string): void {
  eachOf(c, at, 0, checkPosition);
  if ((c as unknown[]).length < 2) throw new GeometryError(`${at}: a LineString needs at least 2 positions`);
}

function checkPolygon(c: unknown, at: string): void {
  eachOf(c, at, 1, checkRing);
}

/** RFC 7946, 3.1.6: a linear ring is closed, with 4 or more positions. */
function checkRing(c: unknown, at: string): void {
  eachOf(c, at, 0, checkPosition);
  const ring = c as number[][];
  if (ring.length < 4) {
    throw new GeometryError(`${at}: a linear ring needs at least 4 positions, found ${ring.length}`);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first.length !== last.length || first.some((v, i) => v !== last[i])) {
    throw new GeometryError(
      `${at}: linear ring is not closed (first position ${JSON.stringify(first)} differs from last ${JSON.stringify(last)})`,
    );
  }
}

/**
 * Bounding box of a validated geometry as [minLon, minLat, maxLon, maxLat].
 *
 * @example
 * bboxOf({ type: 'LineString', coordinates: [[0, 1], [2, -1]] }) // [0, -1, 2, 1]
 */
export function bboxOf(geometry: GeoJsonGeometry): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown, depth: number): void => {
    if (depth === 0) {
      const [lon, lat] = c as number[];
      if (lon < box[0]) box[0] = lon;
      if (lat < box[1]) box[1] = lat;
      if (lon > box[2]) box[2] = lon;
      if (lat > box[3]) box[3] = lat;
      return;
    }
    for (const item of c as unknown[]) visit(item, depth - 1);
  };
  visit(geometry.coordinates, DEPTH[geometry.type]);
  return box;
}
