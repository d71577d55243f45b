/**
 * Exact geo-query predicates (ETSI GS CIM 009 v1.8, clause 4.10) between a reference geometry
 * (the query's) and a target geometry (an entity's GeoProperty), refined after an index prefilter.
 *
 * Boundaries follow the OGC Simple Features semantics that turf implements: a point on a
 * polygon's edge, or at a line's end, intersects it but is neither within it nor contained by it.
 * A Multi* target is within a reference when each of its parts is within one part of the
 * reference; contains is the same relation with the roles swapped.
 */

import {
  booleanContains,
  booleanEqual,
  booleanIntersects,
  booleanOverlap,
  distance,
  pointToLineDistance,
  pointToPolygonDistance,
} from '@turf/turf';
import type { GeoJsonGeometry, GeoQuery } from './query-ast.ts';

type TurfGeometry = Parameters<typeof booleanContains>[0];
type Position = number[];
type Simple = { type: 'Point' | 'LineString' | 'Polygon'; coordinates: unknown };

const DIMENSION: Record<GeoJsonGeometry['type'], number> = {
  Point: 0,
  MultiPoint: 0,
  LineString: 1,
  MultiLineString: 1,
  Polygon: 2,
  MultiPolygon: 2,
};

/**
 * True if `target` stands in the query's relation to the query's reference geometry:
 * "within" = target within reference, "contains" = target contains reference, "near" = distance
 * in metres from the reference point to the target's nearest point within the bounds given.
 * Both geometries must have passed `validateGeometry`.
 *
 * @example
 * evaluateGeoQuery(query, { type: 'Point', coordinates: [13.3986, 52.5547] }) // true if it is near enough
 */
export function evaluateGeoQuery(query: GeoQuery, target: GeoJsonGeometry): boolean {
  const reference = query.geometry;
  const rel = query.georel;
  switch (rel.kind) {
    case 'near': {
      const d = distanceM(reference.coordinates as Position, target);
      if (rel.maxDistanceM !== undefined && d > rel.maxDistanceM) return false;
      if (rel.minDistanceM !== undefined && d < rel.minDistanceM) return false;
      return true;
    }
    case 'within':
      return contains(reference, target);
    case 'contains':
      return contains(target, reference);
    case 'intersects':
      return booleanIntersects(turf(target), turf(reference));
    case 'disjoint':
      return !booleanIntersects(turf(target), turf(reference));
    case 'overlaps':
      return overlaps(target, reference);
    case 'equals':
      return equals(target, reference);
  }
}

/**
 * Distance in metres, on turf's sphere, from a point to the nearest point of `g` (0 inside a
 * polygon): the measure `near` bounds (clause 4.10).
 *
 * @example
 * distanceM([0.01, 0], { type: 'LineString', coordinates: [[0, -1], [0, 1]] }) // ≈ 1112
 */
export function distanceM(from: Position, g: GeoJsonGeometry): number {
  const options = { units: 'meters' as const };
  switch (g.type) {
    case 'Point':
      return distance(from, g.coordinates as Position, options);
    case 'MultiPoint':
      return Math.min(...(g.coordinates as Position[]).map((p) => distance(from, p, options)));
    case 'LineString':
      return pointToLineDistance(from, line(g.coordinates), options);
    case 'MultiLineString':
      return Math.min(
        ...(g.coordinates as unknown[]).map((l) => pointToLineDistance(from, line(l), options)),
      );
    case 'Polygon':
    case 'MultiPolygon':
      // turf signs the distance negative inside the polygon.
      return Math.max(
        0,
        pointToPolygonDistance(from, turf(g) as Parameters<typeof pointToPolygonDistance>[1], options),
      );
  }
}

/** `outer` contains `inner`: every part of `inner` lies in some part of `outer`. */
function contains(outer: GeoJsonGeometry, inner: GeoJsonGeometry): boolean {
  if (DIMENSION[inner.type] > DIMENSION[outer.type]) return false;
  return parts(inner).every((part) => containsPart(outer, part));
}

function containsPart(outer: GeoJsonGeometry, part: Simple): boolean {
  if (DIMENSION[part.type] > DIMENSION[outer.type]) return false;
  // turf has no MultiLineString container; its other containers take every simple part that
  // the dimension check lets through.
  if (outer.type === 'MultiLineString')
    return parts(outer).some((line) => booleanContains(turf(line), turf(part)));
  return booleanContains(turf(outer), turf(part));
}

function overlaps(a: GeoJsonGeometry, b: GeoJsonGeometry): boolean {
  // OGC overlaps is defined between geometries of one dimension; a single point overlaps nothing.
  if (DIMENSION[a.type] !== DIMENSION[b.type]) return false;
  if (a.type === 'Point' || b.type === 'Point') return false;
  return booleanOverlap(turf(a), turf(b));
}

function equals(a: GeoJsonGeometry, b: GeoJsonGeometry): boolean {
  if (a.type !== b.type) return false;
  return booleanEqual(turf(a), turf(b));
}

function parts(g: GeoJsonGeometry | Simple): Simple[] {
  switch (g.type) {
    case 'MultiPoint':
      return (g.coordinates as unknown[]).map((c) => ({ type: 'Point', coordinates: c }));
    case 'MultiLineString':
      return (g.coordinates as unknown[]).map((c) => ({ type: 'LineString', coordinates: c }));
    case 'MultiPolygon':
      return (g.coordinates as unknown[]).map((c) => ({ type: 'Polygon', coordinates: c }));
    default:
      return [g as Simple];
  }
}

function line(coordinates: unknown): Parameters<typeof pointToLineDistance>[1] {
  return { type: 'LineString', coordinates: coordinates as Position[] };
}

function turf(g: GeoJsonGeometry | Simple): TurfGeometry {
  return g as unknown as TurfGeometry;
}
