export {
  type Projection,
  type ProjectionParams,
  parseAttrs,
  parseProjection,
  parseProjectionParams,
} from './attrs-query.ts';
export {
  CORE_CONTEXT_URL,
  CORE_CONTEXTS,
  type ContextEntry,
  contextEntries,
  DEFAULT_VOCAB,
  isCoreContextUrl,
  TermMap,
} from './context.ts';
export * from './csource-registration.ts';
export type { Attribute, AttributeType, CompactedEntity, Entity, Json } from './entity.ts';
export { LOCATION, NGSI_LD } from './entity.ts';
export {
  type CompactOptions,
  compactEntity,
  compactInstances,
  type Format,
  simplifiedValue,
} from './entity-compactor.ts';
export {
  type AttributeFragment,
  isDateTime,
  isUri,
  isValidName,
  NGSI_LD_NULL,
  parseAttributeFragment,
  parseAttributeInstances,
  parseAttributes,
  parseEntity,
} from './entity-parser.ts';
export * from './errors.ts';
export { distanceM, evaluateGeoQuery } from './geo-predicates.ts';
export { candidateBBox, type GeoQueryParams, parseGeoQ, parseGeoQuery } from './geo-query.ts';
export { bboxOf, validateGeometry } from './geojson.ts';
export * from './notification.ts';
export { evaluateQ } from './q-evaluate.ts';
export { dateTimeMs, expandQ, parseQ } from './q-parser.ts';
export type {
  GeoJsonGeometry,
  GeoQuery,
  GeoRel,
  OrderKey,
  QNode,
  QOperator,
  QPath,
  QScalar,
  QValue,
  TypeNode,
} from './query-ast.ts';
export { compareByOrder, type EntityQueryRefinement, parseScopeQ, refineEntity } from './refine.ts';
export * from './subscription.ts';
export {
  compactTemporalEntity,
  parseDuration,
  parseTemporalEntity,
  type TemporalAggregate,
  type TemporalCompactOptions,
  type TemporalEntityInput,
  type TemporalFormat,
  type TemporalInstance,
} from './temporal.ts';
export { evaluateTypeQuery, expandTypeQuery, parseTypeQuery } from './type-query.ts';
