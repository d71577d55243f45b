/**
 * Entities (keyValues) to GeoJSON features for MapLibre. Properties are kept flat and scalar:
 * MapLibre copies them to its workers, and the panel fetches the full entity when opened.
 */
import type { KeyValuesEntity } from '../api/ngsi-client.ts';

export type GeometryKind = 'point' | 'line' | 'area';

export interface TwinFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, string | number | boolean>;
}

/** Attributes whose values make a useful filter, in order of preference. */
export const CATEGORY_KEYS = [
  'administrativeLevel',
  'category',
  'greenAreaKind',
  'roadClass',
  'chargingType',
  'shelterKind',
  'gridLevel',
  'direction',
];

export const MODELLED = '_modelled';
export const VALUE = '_value';

export function geometryKind(type: string): GeometryKind | undefined {
  switch (type) {
    case 'Point':
    case 'MultiPoint':
      return 'point';
    case 'LineString':
    case 'MultiLineString':
      return 'line';
    case 'Polygon':
    case 'MultiPolygon':
      return 'area';
    default:
      return undefined;
  }
}

function scalar(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length <= 120 ? v : undefined;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return (v as string[]).join(', ');
  return undefined;
}

export function toFeature(entity: KeyValuesEntity): TwinFeature | undefined {
  const geometry = entity.location as TwinFeature['geometry'] | undefined;
  if (!geometry || typeof geometry !== 'object' || !geometryKind(geometry.type)) return undefined;
  const properties: TwinFeature['properties'] = { id: entity.id, type: entity.type };
  for (const [k, v] of Object.entries(entity)) {
    if (k === 'location' || k === 'id' || k === 'type') continue;
    const s = scalar(v);
    if (s !== undefined) properties[k] = s;
  }
  properties[MODELLED] = entity.dataProvenance === 'modelled';
  if (typeof properties.name !== 'string') properties.name = entity.id;
  return { type: 'Feature', geometry, properties };
}

export function categoryKey(features: TwinFeature[]): string | undefined {
  for (const key of CATEGORY_KEYS) if (features.some((f) => typeof f.properties[key] === 'string')) return key;
  return undefined;
}

/** Distinct values of the category, most frequent first (at most 40, the rest are rare). */
export function categoryValues(features: TwinFeature[], key: string): string[] {
  const counts = new Map<string, number>();
  for (const f of features) {
    const v = f.properties[key];
    if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([v]) => v);
}

export interface TypeFilter {
  category?: string;
  onlyModelled?: boolean;
}

export function applyFilter(features: TwinFeature[], key: string | undefined, filter: TypeFilter): TwinFeature[] {
  if (!filter.onlyModelled && (!filter.category || !key)) return features;
  return features.filter(
    (f) => (!filter.onlyModelled || f.properties[MODELLED] === true) && (!filter.category || !key || f.properties[key] === filter.category),
  );
}
