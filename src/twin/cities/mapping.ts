import type { NormalizedEntity } from './normalized.ts';

/**
 * One value of a time series: what the temporal API stores for `attribute` of `entityId` at
 * `observedAt` (clause 4.5.6 temporal representation).
 */
export interface TemporalRow {
  entityId: string;
  entityType: string;
  attribute: string;
  observedAt: string;
  value: number;
  unitCode?: string;
}

/** Parsed source files by role: GeoJSON/JSON as parsed values, CSV as text. */
export interface MappingInput {
  city: string;
  /** IANA zone of local timestamps in the sources. */
  timeZone: string;
  files: Record<string, unknown>;
}

export interface MappedDataset {
  entities: NormalizedEntity[];
  /** Older observations of the entities' time-varying attributes; empty for static datasets. */
  history: TemporalRow[];
}

/** A pure function from parsed source files to entities and their history. */
export type Mapping = (input: MappingInput) => MappedDataset;

export interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

/** The role's value as a GeoJSON FeatureCollection, or a clear error naming the role. */
export function featureCollection(input: MappingInput, role: string): FeatureCollection {
  const value = input.files[role] as FeatureCollection | undefined;
  if (value?.type !== 'FeatureCollection' || !Array.isArray(value.features)) {
    throw new Error(`${input.city}: file role "${role}" is not a GeoJSON FeatureCollection`);
  }
  return value;
}

export function csvText(input: MappingInput, role: string): string {
  const value = input.files[role];
  if (typeof value !== 'string') throw new Error(`${input.city}: file role "${role}" is not CSV text`);
  return value;
}

/** A string property of a feature, or undefined when absent or blank. */
export function text(props: Record<string, unknown>, key: string): string | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** A finite number from a property or CSV cell, or undefined. */
export function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Keeps ids unique after reduction to URN-safe characters: a repeated source id gets a `~n`
 * suffix in order of appearance, so the result is stable for the same file.
 */
export function uniqueIds(): (id: string) => string {
  const seen = new Map<string, number>();
  return (id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}~${n}`;
  };
}
