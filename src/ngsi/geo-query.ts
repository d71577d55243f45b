/**
 * Geo-queries (ETSI GS CIM 009 v1.8, clause 4.10): from the `georel`, `geometry`, `coordinates`
 * and `geoproperty` query parameters (clause 6.4.3.2), or from the `geoQ` member of a
 * subscription or a POST query (clause 5.2.13), to a `GeoQuery`.
 *
 * georel grammar (clause 4.10):
 *
 * ```
 * georel   = "near" 1*( ";" distance ) / "within" / "contains" / "intersects"
 *          / "overlaps" / "disjoint" / "equals"
 * distance = ( "maxDistance" / "minDistance" ) "==" Number     ; metres, >= 0
 * ```
 */

import { LOCATION } from './entity.ts';
import { badRequest, ok, type Result } from './errors.ts';
import { bboxOf, GEOMETRY_TYPES, validateGeometry } from './geojson.ts';
import type { GeoQuery, GeoRel } from './query-ast.ts';

/** Query parameters of a geo-query as they arrive; `coordinates` is URL text or, in geoQ, an array. */
export interface GeoQueryParams {
  georel?: string;
  geometry?: string;
  coordinates?: string | unknown[];
  geoproperty?: string;
}

/**
 * Metres per degree of latitude on the sphere of radius 6 371 008.8 m that turf's distances use
 * (2πR / 360). The near bbox is built on the same sphere, so a target inside maxDistance by
 * turf's measure is inside the bbox.
 */
const METRES_PER_DEGREE = 111_194.93;
/** Widening of the near bbox against rounding at its edges (1 %, then a fixed 1e-9 degrees). */
const NEAR_MARGIN = 1.01;

const SIMPLE_RELATIONS = new Set(['within', 'contains', 'intersects', 'overlaps', 'disjoint', 'equals']);
const NUMBER = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const GEOPROPERTY = /^[^\s"<>{}|\\^`,;()[\]]+$/;

/**
 * Builds a `GeoQuery` from the geo-query parameters; `expand` maps the geoproperty term to its
 * IRI (default: the core `location`). All of georel, geometry and coordinates are required.
 *
 * @example
 * parseGeoQuery({ georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[13.3889,52.5345]' }, expand)
 * // { ok: true, value: { georel: { kind: 'near', maxDistanceM: 2000 }, geometry: {...}, bbox: [...], geoproperty: 'https://uri.etsi.org/ngsi-ld/location' } }
 */
export function parseGeoQuery(params: GeoQueryParams, expand: (term: string) => string): Result<GeoQuery> {
  const missing = (['georel', 'geometry', 'coordinates'] as const).filter(
    (k) => params[k] === undefined || params[k] === '',
  );
  if (missing.length > 0) {
    return badRequest(
      `geo-query: ${missing.join(', ')} missing (georel, geometry and coordinates go together)`,
    );
  }
  const georel = parseGeorel(params.georel as string);
  if (!georel.ok) return georel;

  const type = GEOMETRY_TYPES.find((t) => t.toLowerCase() === String(params.geometry).toLowerCase());
  if (type === undefined) {
    return badRequest(
      `geometry: unknown geometry type "${params.geometry}" (expected ${GEOMETRY_TYPES.join(', ')})`,
    );
  }
  let coordinates: unknown = params.coordinates;
  if (typeof coordinates === 'string') {
    try {
      coordinates = JSON.parse(coordinates);
    } catch {
      return badRequest(
        `coordinates: not a JSON array: ${JSON.stringify(truncate(params.coordinates as string))}`,
      );
    }
  }
  if (!Array.isArray(coordinates)) return badRequest('coordinates: must be a JSON array');
  const geometry = validateGeometry({ type, coordinates });
  if (!geometry.ok)
    return badRequest(geometry.problem.detail.replace(/^geometry\.coordinates/, 'coordinates'));
  if (georel.value.kind === 'near' && type !== 'Point') {
    return badRequest(`georel: near needs a Point geometry, found ${type} (clause 4.10)`);
  }

  let geoproperty = LOCATION;
  if (params.geoproperty !== undefined) {
    if (typeof params.geoproperty !== 'string' || !GEOPROPERTY.test(params.geoproperty)) {
      return badRequest(`geoproperty: not a valid attribute name: ${JSON.stringify(params.geoproperty)}`);
    }
    geoproperty = expand(params.geoproperty);
  }

  let bbox = bboxOf(geometry.value);
  if (georel.value.kind === 'near' && georel.value.maxDistanceM !== undefined) {
    bbox = enlarge(bbox, georel.value.maxDistanceM);
  }
  return ok({ georel: georel.value, geometry: geometry.value, bbox, geoproperty });
}

/**
 * Builds a `GeoQuery` from the JSON `geoQ` member of a subscription or POST query (clause 5.2.13).
 *
 * @example
 * parseGeoQ({ georel: 'within', geometry: 'Polygon', coordinates: [[[0,0],[1,0],[1,1],[0,0]]] }, expand)
 */
export function parseGeoQ(geoQ: unknown, expand: (term: string) => string): Result<GeoQuery> {
  if (geoQ === null || typeof geoQ !== 'object' || Array.isArray(geoQ)) {
    return badRequest('geoQ: must be a JSON object');
  }
  const { georel, geometry, coordinates, geoproperty } = geoQ as Record<string, unknown>;
  for (const [name, v] of [
    ['georel', georel],
    ['geometry', geometry],
    ['geoproperty', geoproperty],
  ] as const) {
    if (v !== undefined && typeof v !== 'string') return badRequest(`geoQ.${name}: must be a string`);
  }
  if (coordinates !== undefined && typeof coordinates !== 'string' && !Array.isArray(coordinates)) {
    return badRequest('geoQ.coordinates: must be an array (or its JSON text)');
  }
  return parseGeoQuery(
    {
      georel: georel as string | undefined,
      geometry: geometry as string | undefined,
      coordinates: coordinates as string | unknown[] | undefined,
      geoproperty: geoproperty as string | undefined,
    },
    expand,
  );
}

/**
 * The box a matching target's bbox must intersect, for an index prefilter; `undefined` when the
 * relation can hold far from the reference geometry (disjoint, near with only minDistance).
 *
 * @example
 * candidateBBox(query) // [13.2, 52.4, 13.6, 52.7]
 */
export function candidateBBox(query: GeoQuery): [number, number, number, number] | undefined {
  if (query.georel.kind === 'disjoint') return undefined;
  if (query.georel.kind === 'near' && query.georel.maxDistanceM === undefined) return undefined;
  return query.bbox;
}

function parseGeorel(text: string): Result<GeoRel> {
  if (SIMPLE_RELATIONS.has(text)) return ok({ kind: text } as GeoRel);
  const [head, ...modifiers] = text.split(';');
  if (head !== 'near') {
    return badRequest(
      `georel: unknown relation "${truncate(head)}" (expected near, within, contains, intersects, overlaps, disjoint or equals)`,
    );
  }
  if (modifiers.length === 0)
    return badRequest('georel: near needs ;maxDistance==<metres> or ;minDistance==<metres>');
  const rel: GeoRel & { kind: 'near' } = { kind: 'near' };
  for (const m of modifiers) {
    const match = /^(maxDistance|minDistance)==(.*)$/.exec(m);
    if (!match)
      return badRequest(
        `georel: expected maxDistance==<metres> or minDistance==<metres>, found "${truncate(m)}"`,
      );
    const [, name, value] = match;
    if (!NUMBER.test(value))
      return badRequest(
        `georel: ${name} must be a non-negative number of metres, found "${truncate(value)}"`,
      );
    const key = name === 'maxDistance' ? 'maxDistanceM' : 'minDistanceM';
    if (rel[key] !== undefined) return badRequest(`georel: ${name} given twice`);
    rel[key] = Number(value);
  }
  if (
    rel.maxDistanceM !== undefined &&
    rel.minDistanceM !== undefined &&
    rel.minDistanceM > rel.maxDistanceM
  ) {
    return badRequest(`georel: minDistance ${rel.minDistanceM} exceeds maxDistance ${rel.maxDistanceM}`);
  }
  return ok(rel);
}

/**
 * Grows a bbox by `metres` on every side. Longitude degrees shrink towards the poles, so the
 * widening uses the latitude of the box's poleward edge; a box reaching a pole or crossing the
 * antimeridian spans all longitudes (conservative: the exact predicate refines it).
 */
function enlarge(box: [number, number, number, number], metres: number): [number, number, number, number] {
  const dLat = (metres / METRES_PER_DEGREE) * NEAR_MARGIN + 1e-9;
  const south = box[1] - dLat;
  const north = box[3] + dLat;
  if (south <= -90 || north >= 90) return [-180, Math.max(south, -90), 180, Math.min(north, 90)];
  const poleward = Math.max(Math.abs(south), Math.abs(north));
  const dLon = dLat / Math.cos((poleward * Math.PI) / 180);
  const west = box[0] - dLon;
  const east = box[2] + dLon;
  if (west < -180 || east > 180) return [-180, south, 180, north];
  return [west, south, east, north];
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
