/**
 * The NGSI-LD information model in its validated normal form (ETSI GS CIM 009 v1.8, clause 4.5).
 *
 * Stages of an entity: a request body is a `CompactedEntity` (terms as the client wrote them);
 * expanding its keys with the request's term map gives an `ExpandedEntity`; parsing that gives an
 * `Entity`, which is what the broker and the store work on. Attribute names and types in an
 * `Entity` are full IRIs; values are kept as the client sent them (NGSI-LD values are JSON, and
 * full JSON-LD value expansion is not needed to store or query them).
 */

export type AttributeType =
  | 'Property'
  | 'Relationship'
  | 'GeoProperty'
  | 'LanguageProperty'
  | 'VocabProperty'
  | 'JsonProperty'
  | 'ListProperty'
  | 'ListRelationship';

/** One instance of an attribute (clause 4.5.2–4.5.20). Multi-attributes differ by `datasetId`. */
export interface Attribute {
  type: AttributeType;
  /** Property, GeoProperty (a GeoJSON geometry), ListProperty (`valueList`) */
  value?: unknown;
  /** Relationship: one IRI or a list of IRIs */
  object?: string | string[];
  /** Relationship objectType (v1.8) */
  objectType?: string | string[];
  /** LanguageProperty: language tag -> string or strings */
  languageMap?: Record<string, string | string[]>;
  /** VocabProperty: IRIs (already expanded) */
  vocab?: string | string[];
  /** JsonProperty: the raw JSON */
  json?: unknown;
  /** ListProperty */
  valueList?: unknown[];
  /** ListRelationship */
  objectList?: string[];
  datasetId?: string;
  observedAt?: string;
  unitCode?: string;
  createdAt?: string;
  modifiedAt?: string;
  /** Sub-attributes (properties of properties), by expanded name. */
  sub?: Record<string, Attribute[]>;
}

/** An entity in normal form: expanded type IRIs and attribute names, instances by datasetId. */
export interface Entity {
  id: string;
  type: string[];
  scope?: string[];
  createdAt?: string;
  modifiedAt?: string;
  attrs: Record<string, Attribute[]>;
}

/** A JSON object: not null, not an array. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** JSON as a client sends it; only the parsers in ngsi/ look inside. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A request or response body entity before expansion / after compaction. */
export type CompactedEntity = Record<string, unknown>;

/** Names of the members of an entity that are not attributes (clause 4.5.1). */
export const ENTITY_CORE_MEMBERS = new Set([
  'id',
  '@id',
  'type',
  '@type',
  '@context',
  'scope',
  'createdAt',
  'modifiedAt',
  'deletedAt',
]);

/** Members of an attribute that are not sub-attributes. */
export const ATTRIBUTE_CORE_MEMBERS = new Set([
  'type',
  'value',
  'object',
  'objectType',
  'languageMap',
  'vocab',
  'json',
  'valueList',
  'objectList',
  'datasetId',
  'observedAt',
  'unitCode',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'instanceId',
]);

/** The core context's IRIs for the GeoProperties every entity may carry (clause 4.7). */
export const NGSI_LD = 'https://uri.etsi.org/ngsi-ld/';
export const LOCATION = `${NGSI_LD}location`;
export const OBSERVATION_SPACE = `${NGSI_LD}observationSpace`;
export const OPERATION_SPACE = `${NGSI_LD}operationSpace`;
