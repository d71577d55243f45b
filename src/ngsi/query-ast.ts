/**
 * Engine-neutral ASTs of the NGSI-LD query languages. Parsers in ngsi/ build them; each store
 * engine translates them to its SQL with bound parameters; ngsi/ also evaluates them in memory
 * (subscriptions, refinement after an index prefilter).
 */

/** A path into an entity, as written in q (clause 4.9): `attr`, `attr.sub`, `attr[a][b]`, `attr.sub[a]`. */
export interface QPath {
  /** attribute name as written (a term or an IRI); `expandQ` turns it into an IRI */
  attr: string;
  /** sub-attribute names, as written then expanded (`attr.sub.subsub`) */
  sub: string[];
  /** keys into a compound (JSON object) value: `attr[a][b]` -> ['a','b']; never expanded */
  compound: string[];
}

export type QScalar =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'dateTime'; value: string; epochMs: number }
  | { kind: 'date'; value: string }
  | { kind: 'time'; value: string }
  /** an unquoted value that is none of the above, e.g. a URI: compared as a string */
  | { kind: 'uri'; value: string }
  | { kind: 'null' };

export type QValue =
  | QScalar
  | { kind: 'list'; values: QScalar[] }
  | { kind: 'range'; from: QScalar; to: QScalar }
  | { kind: 'regex'; pattern: string; flags: string };

export type QOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~=' | '!~=';

export type QNode =
  | { kind: 'and'; children: QNode[] }
  | { kind: 'or'; children: QNode[] }
  /** `attr` alone: the attribute exists */
  | { kind: 'exists'; path: QPath }
  | { kind: 'compare'; path: QPath; op: QOperator; value: QValue };

/** Entity type selection (clause 4.17): `A`, `A,B` (or), `A|B` (or), `A;B` (and), parentheses. */
export type TypeNode = { kind: 'type'; name: string } | { kind: 'and' | 'or'; children: TypeNode[] };

export type GeoRel =
  | { kind: 'near'; maxDistanceM?: number; minDistanceM?: number }
  | { kind: 'within' }
  | { kind: 'contains' }
  | { kind: 'intersects' }
  | { kind: 'overlaps' }
  | { kind: 'disjoint' }
  | { kind: 'equals' };

export interface GeoJsonGeometry {
  type: 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

/** geoQ (clause 4.10): the relation, the reference geometry, and the GeoProperty to test (expanded IRI). */
export interface GeoQuery {
  georel: GeoRel;
  geometry: GeoJsonGeometry;
  /** [minLon, minLat, maxLon, maxLat] of `geometry`, enlarged by maxDistance for near */
  bbox: [number, number, number, number];
  geoproperty: string;
}

/** One key of orderBy: an entity member, or an attribute with an optional path below it. */
export interface OrderKey {
  member?: 'id' | 'type' | 'createdAt' | 'modifiedAt';
  attr?: string;
  /** sub-attribute names (expanded) or system members (createdAt, observedAt ...) */
  path: string[];
  descending: boolean;
}
