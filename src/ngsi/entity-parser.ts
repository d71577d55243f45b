/**
 * Parse, don't validate: a request body (compacted, normalized or concise) becomes an `Entity`
 * in normal form or a BadRequestData problem that says what and where (clauses 4.5, 4.6, 5.2).
 */
import type { TermMap } from './context.ts';
import {
  ATTRIBUTE_CORE_MEMBERS,
  type Attribute,
  type AttributeType,
  ENTITY_CORE_MEMBERS,
  type Entity,
  LOCATION,
  OBSERVATION_SPACE,
  OPERATION_SPACE,
} from './entity.ts';
import { fail, ok, type Result } from './errors.ts';
import { GEOMETRY_TYPES, validateGeometry } from './geojson.ts';

const ATTRIBUTE_TYPES = new Set<AttributeType>([
  'Property',
  'Relationship',
  'GeoProperty',
  'LanguageProperty',
  'VocabProperty',
  'JsonProperty',
  'ListProperty',
  'ListRelationship',
]);

/** RFC 3986 scheme followed by a non-empty rest: NGSI-LD ids, datasetIds and objects are URIs. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
/** Characters clause 4.6.2 forbids in names (they break q and URLs). */
const FORBIDDEN_NAME = /[<>"'=;()\s]/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const SCOPE = /^\/?[^/\s#]+(\/[^/\s#]+)*$/;

export function isUri(value: unknown): value is string {
  return typeof value === 'string' && URI.test(value);
}

export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value));
}

export function isValidName(name: string): boolean {
  return name.length > 0 && !FORBIDDEN_NAME.test(name);
}

const GEO_NAMES = new Set([LOCATION, OBSERVATION_SPACE, OPERATION_SPACE]);

export interface ParseEntityOptions {
  /** create needs an id and a type; a fragment (append, merge) needs neither */
  requireId?: boolean;
  requireType?: boolean;
}

/**
 * Parses an entity body into normal form.
 *
 * @example
 * parseEntity({ id: 'urn:ngsi-ld:Road:1', type: 'Road', name: { type: 'Property', value: 'A9' } }, TermMap.core());
 */
export function parseEntity(body: unknown, terms: TermMap, options: ParseEntityOptions = {}): Result<Entity> {
  const { requireId = true, requireType = true } = options;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail('BadRequestData', 'the entity must be a JSON object');
  }
  const src = body as Record<string, unknown>;
  const id = src.id ?? src['@id'];
  if (id === undefined) {
    if (requireId) return fail('BadRequestData', "entity: member 'id' is missing");
  } else if (!isUri(id)) {
    return fail('BadRequestData', `entity: id '${String(id)}' is not a URI`);
  }
  const rawType = src.type ?? src['@type'];
  const types: string[] = [];
  if (rawType === undefined) {
    if (requireType) return fail('BadRequestData', "entity: member 'type' is missing");
  } else {
    const list = Array.isArray(rawType) ? rawType : [rawType];
    if (list.length === 0) return fail('BadRequestData', 'entity: type must not be empty');
    for (const t of list) {
      if (typeof t !== 'string' || !isValidName(t))
        return fail('BadRequestData', `entity: type '${String(t)}' is not a valid name`);
      const iri = terms.expand(t);
      if (iri.startsWith('@'))
        return fail('BadRequestData', `entity: type '${t}' names a JSON-LD keyword, not a type`);
      if (!types.includes(iri)) types.push(iri);
    }
  }
  const entity: Entity = { id: (id as string | undefined) ?? '', type: types, attrs: {} };
  if (src.scope !== undefined) {
    const scopes = Array.isArray(src.scope) ? src.scope : [src.scope];
    for (const s of scopes) {
      if (typeof s !== 'string' || !SCOPE.test(s))
        return fail('BadRequestData', `entity: scope '${String(s)}' is not a valid scope`);
    }
    entity.scope = scopes as string[];
  }
  for (const [name, raw] of Object.entries(src)) {
    if (ENTITY_CORE_MEMBERS.has(name)) continue;
    const parsed = parseAttributeInstances(name, raw, terms);
    if (!parsed.ok) return parsed;
    entity.attrs[parsed.value.iri] = parsed.value.instances;
  }
  return ok(entity);
}

/** Parses the attribute members of a fragment (append, update, merge bodies). */
export function parseAttributes(body: unknown, terms: TermMap): Result<Record<string, Attribute[]>> {
  const parsed = parseEntity(body, terms, { requireId: false, requireType: false });
  return parsed.ok ? ok(parsed.value.attrs) : parsed;
}

/** Parses one attribute's value as sent (object, array of instances, or concise value). */
export function parseAttributeInstances(
  name: string,
  raw: unknown,
  terms: TermMap,
): Result<{ iri: string; instances: Attribute[] }> {
  if (!isValidName(name))
    return fail('BadRequestData', `attribute name '${name}' contains forbidden characters`);
  const iri = terms.expand(name);
  const list = Array.isArray(raw) && raw.length > 0 && raw.every(isAttributeObject) ? raw : [raw];
  const instances: Attribute[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const attr = parseAttribute(name, item, terms, GEO_NAMES.has(iri));
    if (!attr.ok) return attr;
    const key = attr.value.datasetId ?? '';
    if (seen.has(key)) {
      return fail(
        'BadRequestData',
        `attribute '${name}': two instances with ${key ? `datasetId '${key}'` : 'no datasetId'}`,
      );
    }
    seen.add(key);
    instances.push(attr.value);
  }
  return ok({ iri, instances });
}

/** "urn:ngsi-ld:null" as an attribute's value asks a merge-patch to delete it (clause 4.5.?). */
export const NGSI_LD_NULL = 'urn:ngsi-ld:null';

function isNgsiLdNull(o: Record<string, unknown>): boolean {
  if (
    o.value === NGSI_LD_NULL ||
    o.object === NGSI_LD_NULL ||
    o.json === NGSI_LD_NULL ||
    o.vocab === NGSI_LD_NULL
  )
    return true;
  const lm = o.languageMap as Record<string, unknown> | undefined;
  return lm !== undefined && lm !== null && typeof lm === 'object' && lm['@none'] === NGSI_LD_NULL;
}

function isAttributeObject(item: unknown): boolean {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const o = item as Record<string, unknown>;
  return (
    (typeof o.type === 'string' && ATTRIBUTE_TYPES.has(o.type as AttributeType)) ||
    'value' in o ||
    'object' in o ||
    'languageMap' in o ||
    'vocab' in o ||
    'json' in o ||
    'valueList' in o ||
    'objectList' in o
  );
}

const GEOJSON_TYPES = new Set<string>(GEOMETRY_TYPES);

function isGeometryLike(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === 'object' &&
    GEOJSON_TYPES.has((v as { type?: unknown }).type as string) &&
    'coordinates' in (v as object)
  );
}

/** Infers the type of a concise attribute (clause 4.5.? concise representation). */
function inferType(o: Record<string, unknown>, geoName: boolean): AttributeType | undefined {
  if ('object' in o) return 'Relationship';
  if ('languageMap' in o) return 'LanguageProperty';
  if ('vocab' in o) return 'VocabProperty';
  if ('json' in o) return 'JsonProperty';
  if ('valueList' in o) return 'ListProperty';
  if ('objectList' in o) return 'ListRelationship';
  if ('value' in o) return geoName || isGeometryLike(o.value) ? 'GeoProperty' : 'Property';
  return undefined;
}

function parseAttribute(name: string, raw: unknown, terms: TermMap, geoName: boolean): Result<Attribute> {
  const where = `attribute '${name}'`;
  if (raw === null || raw === undefined) return fail('BadRequestData', `${where}: value must not be null`);
  if (typeof raw !== 'object' || Array.isArray(raw) || (!isAttributeObject(raw) && !isGeometryLike(raw))) {
    // concise: a bare value is a Property (or a GeoProperty for a geometry)
    return ok({ type: 'Property', value: raw });
  }
  if (isGeometryLike(raw) && !isAttributeObject(raw)) {
    return parseAttribute(name, { type: 'GeoProperty', value: raw }, terms, geoName);
  }
  const o = raw as Record<string, unknown>;
  if (isNgsiLdNull(o))
    return ok({
      ...(o as unknown as Attribute),
      type: (o.type as AttributeType) ?? inferType(o, geoName) ?? 'Property',
    });
  let type = o.type as AttributeType | undefined;
  if (type === undefined) type = inferType(o, geoName);
  else if (!ATTRIBUTE_TYPES.has(type))
    return fail('BadRequestData', `${where}: type '${String(o.type)}' is not an NGSI-LD attribute type`);
  if (type === undefined) return fail('BadRequestData', `${where}: no type and no value`);
  const attr: Attribute = { type };
  switch (type) {
    case 'Property':
      if (!('value' in o) || o.value === null)
        return fail('BadRequestData', `${where}: a Property needs a non-null value`);
      if (geoName && isGeometryLike(o.value)) {
        attr.type = 'GeoProperty';
        const g = validateGeometry(o.value);
        if (!g.ok) return fail('BadRequestData', `${where}: ${g.problem.detail}`);
      }
      attr.value = o.value;
      break;
    case 'GeoProperty': {
      if (!('value' in o)) return fail('BadRequestData', `${where}: a GeoProperty needs a value`);
      const g = validateGeometry(o.value);
      if (!g.ok) return fail('BadRequestData', `${where}: ${g.problem.detail}`);
      attr.value = o.value;
      break;
    }
    case 'Relationship': {
      const objects = Array.isArray(o.object) ? o.object : [o.object];
      if (objects.length === 0 || !objects.every(isUri)) {
        return fail('BadRequestData', `${where}: a Relationship needs an object that is a URI`);
      }
      attr.object = o.object as string | string[];
      if (o.objectType !== undefined) {
        const ot = Array.isArray(o.objectType) ? o.objectType : [o.objectType];
        if (!ot.every((t) => typeof t === 'string'))
          return fail('BadRequestData', `${where}: objectType must be a type name`);
        const expanded = (ot as string[]).map((t) => terms.expand(t));
        attr.objectType = Array.isArray(o.objectType) ? expanded : expanded[0];
      }
      break;
    }
    case 'LanguageProperty': {
      const map = o.languageMap;
      if (map === null || typeof map !== 'object' || Array.isArray(map)) {
        return fail('BadRequestData', `${where}: a LanguageProperty needs a languageMap object`);
      }
      for (const [lang, text] of Object.entries(map)) {
        const texts = Array.isArray(text) ? text : [text];
        if (!texts.every((t) => typeof t === 'string'))
          return fail('BadRequestData', `${where}: languageMap['${lang}'] must be a string`);
      }
      attr.languageMap = map as Record<string, string | string[]>;
      break;
    }
    case 'VocabProperty': {
      const vocab = Array.isArray(o.vocab) ? o.vocab : [o.vocab];
      if (vocab.length === 0 || !vocab.every((v) => typeof v === 'string')) {
        return fail('BadRequestData', `${where}: a VocabProperty needs vocab strings`);
      }
      const expanded = (vocab as string[]).map((v) => terms.expand(v));
      attr.vocab = Array.isArray(o.vocab) ? expanded : expanded[0];
      break;
    }
    case 'JsonProperty':
      if (!('json' in o) || o.json === undefined)
        return fail('BadRequestData', `${where}: a JsonProperty needs a json member`);
      attr.json = o.json;
      break;
    case 'ListProperty':
      if (!Array.isArray(o.valueList))
        return fail('BadRequestData', `${where}: a ListProperty needs a valueList array`);
      attr.valueList = o.valueList;
      break;
    case 'ListRelationship': {
      const list = o.objectList;
      if (!Array.isArray(list))
        return fail('BadRequestData', `${where}: a ListRelationship needs an objectList array`);
      const objects = list.map((x) =>
        x !== null && typeof x === 'object' ? (x as { object?: unknown }).object : x,
      );
      if (!objects.every(isUri)) return fail('BadRequestData', `${where}: objectList entries must be URIs`);
      attr.objectList = objects as string[];
      break;
    }
  }
  if (o.datasetId !== undefined) {
    if (!isUri(o.datasetId))
      return fail('BadRequestData', `${where}: datasetId '${String(o.datasetId)}' is not a URI`);
    attr.datasetId = o.datasetId;
  }
  if (o.observedAt !== undefined) {
    if (!isDateTime(o.observedAt))
      return fail(
        'BadRequestData',
        `${where}: observedAt '${String(o.observedAt)}' is not an ISO 8601 date-time`,
      );
    attr.observedAt = o.observedAt;
  }
  if (o.unitCode !== undefined) {
    if (typeof o.unitCode !== 'string') return fail('BadRequestData', `${where}: unitCode must be a string`);
    attr.unitCode = o.unitCode;
  }
  for (const [subName, subRaw] of Object.entries(o)) {
    if (ATTRIBUTE_CORE_MEMBERS.has(subName)) continue;
    const sub = parseAttributeInstances(subName, subRaw, terms);
    if (!sub.ok) return fail('BadRequestData', `${where}: ${sub.problem.detail}`);
    attr.sub ??= {};
    attr.sub[sub.value.iri] = sub.value.instances;
  }
  return ok(attr);
}

/** What a partial attribute update carries (clause 5.6.4): some members of one instance. */
export interface AttributeFragment {
  patch: Attribute;
  /** the fragment named the attribute type; a different type than the stored one is an error */
  typeGiven: boolean;
}

const VALUE_MEMBERS = ['value', 'object', 'languageMap', 'vocab', 'json', 'valueList', 'objectList'] as const;

/**
 * Parses the body of a partial attribute update: value members are validated when present,
 * other members are sub-attributes. Nothing is required, but the fragment must not be empty.
 */
export function parseAttributeFragment(
  name: string,
  body: Record<string, unknown>,
  terms: TermMap,
): Result<AttributeFragment> {
  const members = Object.keys(body).filter((k) => k !== '@context');
  if (members.length === 0) return fail('BadRequestData', `attribute '${name}': the fragment is empty`);
  const typeGiven = body.type !== undefined;
  const valueMembers = VALUE_MEMBERS.filter((m) => m in body);
  let patch: Attribute;
  if (typeGiven || valueMembers.length > 0) {
    const core: Record<string, unknown> = {};
    for (const m of [...VALUE_MEMBERS, 'type', 'datasetId', 'observedAt', 'unitCode', 'objectType'] as const)
      if (m in body) core[m] = body[m];
    const parsed = parseAttribute(name, core, terms, GEO_NAMES.has(terms.expand(name)));
    if (!parsed.ok) return parsed;
    patch = parsed.value;
  } else {
    patch = { type: 'Property' };
    if (body.datasetId !== undefined) {
      if (!isUri(body.datasetId))
        return fail(
          'BadRequestData',
          `attribute '${name}': datasetId '${String(body.datasetId)}' is not a URI`,
        );
      patch.datasetId = body.datasetId;
    }
    if (body.observedAt !== undefined) {
      if (!isDateTime(body.observedAt))
        return fail('BadRequestData', `attribute '${name}': observedAt is not a date-time`);
      patch.observedAt = body.observedAt;
    }
    if (typeof body.unitCode === 'string') patch.unitCode = body.unitCode;
  }
  for (const [subName, subRaw] of Object.entries(body)) {
    if (ATTRIBUTE_CORE_MEMBERS.has(subName) || subName === '@context') continue;
    const sub = parseAttributeInstances(subName, subRaw, terms);
    if (!sub.ok) return fail('BadRequestData', `attribute '${name}': ${sub.problem.detail}`);
    patch.sub ??= {};
    patch.sub[sub.value.iri] = sub.value.instances;
  }
  return ok({ patch, typeGiven });
}
