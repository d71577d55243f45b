/**
 * Districts as the social model sees them: a polygon, a population and named statistics, read
 * from a GeoJSON FeatureCollection (the Leipzig Ortsteile, the Bologna aree statistiche) that the
 * caller has already parsed.
 */
import { type PolygonRings, type PreparedPolygon, polygonAreaKm2, preparePolygon } from './geometry.ts';

export interface District {
  id: string;
  name: string;
  /** Polygon parts (a Polygon is one part). */
  parts: PolygonRings[];
  areaKm2: number;
  /** Residents; null when the statistics do not say. */
  population: number | null;
  /** Every numeric property of the feature, by name. */
  statistics: Record<string, number>;
  prepared: PreparedPolygon;
}

/** A district file that cannot be used, with the feature it is about. */
export class DistrictFormatError extends Error {
  readonly userFacing = true;
}

export interface DistrictOptions {
  /** File name for error messages. */
  source?: string;
  /** Property holding the id; default: the first of ot_nr, cod_area, cod_zona, cod_quartiere, id present. */
  idProperty?: string;
  nameProperty?: string;
  /** Property holding residents; default: the first of pop_2023, population, pop present. */
  populationProperty?: string;
}

const ID_CANDIDATES = ['ot_nr', 'cod_area', 'cod_zona', 'cod_quartiere', 'sbz_nr', 'id'];
const NAME_CANDIDATES = ['ortsteil', 'area_statistica', 'zona', 'quartiere', 'stadtbezirk', 'name'];
const POPULATION_CANDIDATES = ['pop_2023', 'population', 'pop'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkRing(ring: unknown, where: string): number[][] {
  if (!Array.isArray(ring) || ring.length < 4)
    throw new DistrictFormatError(`${where}: a ring needs at least 4 positions`);
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new DistrictFormatError(`${where}: a position is not [lon, lat]`);
    }
  }
  return ring as number[][];
}

/**
 * Districts from a parsed GeoJSON FeatureCollection of Polygons and MultiPolygons.
 *
 * @example districtsFromGeoJson(JSON.parse(text), { source: 'leipzig_ortsteile.geojson' })[0].id // '00'
 */
export function districtsFromGeoJson(doc: unknown, options: DistrictOptions = {}): District[] {
  const source = options.source ?? 'districts';
  if (!isRecord(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new DistrictFormatError(`${source}: expected a GeoJSON FeatureCollection`);
  }
  const features = doc.features as unknown[];
  if (features.length === 0) throw new DistrictFormatError(`${source}: no features`);
  const firstProps = isRecord(features[0]) && isRecord(features[0].properties) ? features[0].properties : {};
  const pick = (given: string | undefined, candidates: string[]) =>
    given ?? candidates.find((c) => c in firstProps);
  const idProp = pick(options.idProperty, ID_CANDIDATES);
  const nameProp = pick(options.nameProperty, NAME_CANDIDATES);
  const popProp = pick(options.populationProperty, POPULATION_CANDIDATES);
  const seen = new Set<string>();
  return features.map((f, i) => {
    const where = `${source}: feature ${i}`;
    if (!isRecord(f) || f.type !== 'Feature' || !isRecord(f.geometry))
      throw new DistrictFormatError(`${where}: not a Feature with a geometry`);
    const props = isRecord(f.properties) ? f.properties : {};
    const g = f.geometry;
    let parts: PolygonRings[];
    if (g.type === 'Polygon' && Array.isArray(g.coordinates))
      parts = [g.coordinates.map((r) => checkRing(r, where))];
    else if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
      parts = g.coordinates.map((p) => {
        if (!Array.isArray(p)) throw new DistrictFormatError(`${where}: bad MultiPolygon`);
        return p.map((r) => checkRing(r, where));
      });
    } else
      throw new DistrictFormatError(`${where}: geometry ${String(g.type)} is not a Polygon or MultiPolygon`);
    const rawId = idProp !== undefined ? props[idProp] : (f.id ?? i);
    if (rawId === undefined || rawId === null || rawId === '')
      throw new DistrictFormatError(`${where}: no id in property '${idProp}'`);
    const id = String(rawId);
    if (seen.has(id)) throw new DistrictFormatError(`${where}: duplicate district id '${id}'`);
    seen.add(id);
    const statistics: Record<string, number> = {};
    for (const [k, v] of Object.entries(props))
      if (typeof v === 'number' && Number.isFinite(v)) statistics[k] = v;
    let population: number | null = null;
    if (popProp !== undefined && props[popProp] !== undefined && props[popProp] !== null) {
      const p = Number(props[popProp]);
      if (!Number.isFinite(p) || p < 0)
        throw new DistrictFormatError(`${where}: population '${String(props[popProp])}' is not a count`);
      population = p;
    }
    return {
      id,
      name: nameProp !== undefined && props[nameProp] !== undefined ? String(props[nameProp]) : id,
      parts,
      areaKm2: polygonAreaKm2(parts),
      population,
      statistics,
      prepared: preparePolygon(parts),
    };
  });
}
