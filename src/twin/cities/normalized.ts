/**
 * Builders for NGSI-LD entities in the normalized representation (ETSI GS CIM 009 v1.8, clause
 * 4.5), the form the city seeding upserts. Plain JSON on purpose: the seeding hands these to the
 * broker's HTTP/batch operations, which do the expansion and validation.
 */

export const NGSI_LD_CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';

/** A GeoJSON geometry as RFC 7946 defines it; only what the mappings need to look at. */
export interface Geometry {
  type: string;
  coordinates?: unknown;
  geometries?: Geometry[];
}

export interface NormalizedAttribute {
  type: 'Property' | 'GeoProperty' | 'Relationship';
  value?: unknown;
  object?: string | string[];
  observedAt?: string;
  unitCode?: string;
  [subAttribute: string]: unknown;
}

export interface NormalizedEntity {
  id: string;
  type: string;
  '@context': string[];
  [attribute: string]: unknown;
}

export interface PropertyOptions {
  observedAt?: string;
  unitCode?: string;
  /** Sub-properties, e.g. a description of how the value was obtained. */
  sub?: Record<string, NormalizedAttribute>;
}

export function property(value: unknown, options: PropertyOptions = {}): NormalizedAttribute {
  const attr: NormalizedAttribute = { type: 'Property', value };
  if (options.observedAt !== undefined) attr.observedAt = options.observedAt;
  if (options.unitCode !== undefined) attr.unitCode = options.unitCode;
  if (options.sub) Object.assign(attr, options.sub);
  return attr;
}

export function geoProperty(geometry: Geometry): NormalizedAttribute {
  return { type: 'GeoProperty', value: geometry };
}

export function relationship(object: string | string[]): NormalizedAttribute {
  return { type: 'Relationship', object };
}

/**
 * `urn:ngsi-ld:<Type>:<city>:<source id>`. Source ids are reduced to URN-safe characters so the
 * id can sit in a URL path unescaped; callers keep ids unique after that reduction.
 */
export function entityId(type: string, city: string, sourceId: string | number): string {
  return `urn:ngsi-ld:${type}:${city}:${safeIdPart(String(sourceId))}`;
}

export function safeIdPart(raw: string): string {
  return raw
    .trim()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The label every entity carrying non-measured values gets: which attributes were modelled or
 * assumed and how. Readers (web app, exports) show it next to those values.
 */
export function modelledData(modelledAttributes: string[], description: string): NormalizedAttribute {
  return property('modelled', {
    sub: {
      modelledAttributes: property(modelledAttributes),
      description: property(description),
    },
  });
}

/** Attribute members that are not sub-attributes (clause 4.5.2 ff.). */
const ATTRIBUTE_MEMBERS = new Set(['type', 'value', 'object', 'observedAt', 'unitCode', 'datasetId']);

/**
 * The keyValues (simplified) form of a normalized entity, clause 4.5.4: what the Smart Data
 * Models JSON Schemas describe. Sub-attributes and metadata are dropped.
 */
export function toKeyValues(entity: NormalizedEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(entity)) {
    if (name === 'id' || name === 'type' || name === '@context') {
      out[name] = member;
      continue;
    }
    const attr = member as NormalizedAttribute;
    out[name] = attr.type === 'Relationship' ? attr.object : attr.value;
  }
  return out;
}

/** The sub-attributes of an attribute, for readers that need them (e.g. provenance labels). */
export function subAttributes(attr: NormalizedAttribute): Record<string, NormalizedAttribute> {
  const out: Record<string, NormalizedAttribute> = {};
  for (const [k, v] of Object.entries(attr)) if (!ATTRIBUTE_MEMBERS.has(k)) out[k] = v as NormalizedAttribute;
  return out;
}
