/**
 * The little planar and spherical geometry the district attribution needs, on WGS 84 lon/lat
 * (RFC 7946 axis order). Districts are a few hundred polygons at most, links tens of thousands
 * of short pieces, so a bounding-box prefilter before an even-odd ray test is all it takes.
 */

/** Rings of one polygon: the outer ring first, then holes; each a closed list of [lon, lat]. */
export type PolygonRings = number[][][];

export interface PreparedPolygon {
  /** All rings of all parts; the even-odd rule over every ring handles holes and multipolygons. */
  rings: Float64Array[];
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Flattens a GeoJSON Polygon or MultiPolygon's coordinates for fast point tests. */
export function preparePolygon(parts: PolygonRings[]): PreparedPolygon {
  const rings: Float64Array[] = [];
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const part of parts) {
    for (const ring of part) {
      const flat = new Float64Array(ring.length * 2);
      ring.forEach(([lon, lat], i) => {
        flat[2 * i] = lon;
        flat[2 * i + 1] = lat;
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      });
      rings.push(flat);
    }
  }
  return { rings, minLon, minLat, maxLon, maxLat };
}

/** Even-odd point-in-polygon (W. R. Franklin's crossing test); points on an edge may go either way. */
export function containsPoint(p: PreparedPolygon, lon: number, lat: number): boolean {
  if (lon < p.minLon || lon > p.maxLon || lat < p.minLat || lat > p.maxLat) return false;
  let inside = false;
  for (const r of p.rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = r[2 * i];
      const yi = r[2 * i + 1];
      const xj = r[2 * j];
      const yj = r[2 * j + 1];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * IUGG mean Earth radius; within 1 m of the authalic radius, so spherical areas match the
 * ellipsoid's in total (the equatorial radius would overstate them by 0.22 %).
 */
const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/**
 * Area on the sphere of a polygon's rings (outer minus holes), after Chamberlain & Duquette 2007,
 * "Some algorithms for polygons on a sphere", JPL Publication 07-03: within 0.5 % of the
 * ellipsoidal area at city scale.
 *
 * @example polygonAreaKm2([[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]]) // ≈ 1.236
 */
export function polygonAreaKm2(parts: PolygonRings[]): number {
  let total = 0;
  for (const part of parts) {
    part.forEach((ring, k) => {
      let s = 0;
      for (let i = 0; i < ring.length - 1; i++) {
        const [l1, p1] = ring[i];
        const [l2, p2] = ring[i + 1];
        s += (l2 - l1) * RAD * (2 + Math.sin(p1 * RAD) + Math.sin(p2 * RAD));
      }
      const area = Math.abs((s * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
      total += k === 0 ? area : -area;
    });
  }
  return total / 1e6;
}

/** Local metres per degree, equirectangular: exact enough for pieces of tens of metres. */
export function segmentLengthM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = (lon2 - lon1) * RAD * Math.cos(((lat1 + lat2) / 2) * RAD);
  const y = (lat2 - lat1) * RAD;
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_M;
}
