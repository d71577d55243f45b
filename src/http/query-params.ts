/**
 * The spec's query parameters in one table (clause 6.3.18 and the per-resource tables of 6.4–6.6):
 * which are known, which are implemented, and how they become an EntityQuery and compaction
 * options. An unknown parameter is a 400; a known one not implemented is a 501 — none is ignored.
 */
import {
  type CompactOptions,
  expandQ,
  expandTypeQuery,
  type Format,
  fail,
  LOCATION,
  type OrderKey,
  ok,
  parseGeoQuery,
  parseProjectionParams,
  parseQ,
  parseScopeQ,
  parseTypeQuery,
  type Result,
  type TermMap,
} from '../ngsi/index.ts';
import type { EntityQuery } from '../store/index.ts';

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 20;

/** Parameters of the spec twinbox does not implement yet: answered with 501. */
const NOT_IMPLEMENTED = new Set([
  'csf',
  'expandValues',
  'entityMap',
  'containedBy',
  'join',
  'joinLevel',
  'collect',
  'jsonKeys',
]);

export const ENTITY_QUERY_PARAMS = new Set([
  'id',
  'type',
  'idPattern',
  'attrs',
  'pick',
  'omit',
  'q',
  'georel',
  'geometry',
  'coordinates',
  'geoproperty',
  'geometryProperty',
  'lang',
  'scopeQ',
  'options',
  'format',
  'limit',
  'offset',
  'count',
  'local',
  'orderBy',
  'csf',
  'expandValues',
  'entityMap',
  'containedBy',
  'join',
  'joinLevel',
  'datasetId',
  'via',
  'jsonKeys',
  'collect',
]);

export const RETRIEVE_PARAMS = new Set([
  'attrs',
  'pick',
  'omit',
  'geometryProperty',
  'lang',
  'options',
  'format',
  'local',
  'datasetId',
  'join',
  'joinLevel',
  'containedBy',
  'entityMap',
  'via',
  'jsonKeys',
  'collect',
  'type',
]);

type Params = Record<string, string | string[] | undefined>;

function single(params: Params, name: string): Result<string | undefined> {
  const v = params[name];
  if (Array.isArray(v)) return fail('BadRequestData', `query parameter '${name}' given more than once`);
  return ok(v);
}

/** Checks the names of the query parameters against the allowed set of a resource. */
export function checkParams(params: Params, allowed: ReadonlySet<string>): Result<void> {
  for (const name of Object.keys(params)) {
    if (!allowed.has(name)) return fail('InvalidRequest', `unknown query parameter '${name}'`);
    if (NOT_IMPLEMENTED.has(name))
      return fail('NotImplemented', `query parameter '${name}' is not implemented`);
  }
  return ok(undefined);
}

export interface Representation {
  format: Format;
  sysAttrs: boolean;
  compact: CompactOptions;
}

const OPTION_VALUES = new Set([
  'keyValues',
  'simplified',
  'concise',
  'normalized',
  'sysAttrs',
  'count',
  'noOverwrite',
  'replace',
  'update',
  'unique',
]);

/** `options` and `format` (clause 6.3.7). */
export function parseRepresentation(params: Params, terms: TermMap): Result<Representation> {
  const opt = single(params, 'options');
  if (!opt.ok) return opt;
  const fmt = single(params, 'format');
  if (!fmt.ok) return fmt;
  const options = opt.value ? opt.value.split(',').map((o) => o.trim()) : [];
  for (const o of options)
    if (!OPTION_VALUES.has(o)) return fail('InvalidRequest', `options: unknown value '${o}'`);
  let format: Format = 'normalized';
  const formats = [
    ...options.filter(
      (o) =>
        o !== 'sysAttrs' &&
        o !== 'count' &&
        o !== 'noOverwrite' &&
        o !== 'replace' &&
        o !== 'update' &&
        o !== 'unique',
    ),
  ];
  if (fmt.value) formats.unshift(fmt.value);
  if (formats.length > 0) {
    const f = formats[0];
    if (f === 'keyValues' || f === 'simplified') format = 'keyValues';
    else if (f === 'concise') format = 'concise';
    else if (f === 'normalized') format = 'normalized';
    else return fail('InvalidRequest', `format: unknown value '${f}'`);
  }
  const sysAttrs = options.includes('sysAttrs');
  const compact: CompactOptions = { format, sysAttrs };
  const lang = single(params, 'lang');
  if (!lang.ok) return lang;
  if (lang.value !== undefined) compact.lang = lang.value;
  const proj = parseProjection(params, terms);
  if (!proj.ok) return proj;
  Object.assign(compact, proj.value);
  return ok({ format, sysAttrs, compact });
}

/** attrs, pick, omit (clause 4.21) -> the compaction's attribute sets. */
function parseProjection(params: Params, terms: TermMap): Result<Partial<CompactOptions>> {
  const attrs = single(params, 'attrs');
  const pick = single(params, 'pick');
  const omit = single(params, 'omit');
  if (!attrs.ok) return attrs;
  if (!pick.ok) return pick;
  if (!omit.ok) return omit;
  const parsed = parseProjectionParams({ attrs: attrs.value, pick: pick.value, omit: omit.value }, (n) =>
    terms.expand(n),
  );
  if (!parsed.ok) return parsed;
  const out: Partial<CompactOptions> = {};
  const { attrs: a, pick: p, omit: o } = parsed.value;
  if (a) out.attrs = a;
  if (p) {
    out.includeId = p.members.has('id');
    out.includeType = p.members.has('type');
    out.attrs = new Set([...p.members].filter((m) => !CORE_MEMBER_NAMES.has(m)));
  }
  if (o) {
    if (o.members.has('id')) out.includeId = false;
    if (o.members.has('type')) out.includeType = false;
    out.omit = new Set([...o.members].filter((m) => !CORE_MEMBER_NAMES.has(m)));
  }
  return ok(out);
}

const CORE_MEMBER_NAMES = new Set(['id', 'type', 'scope', 'createdAt', 'modifiedAt']);

function nonNegativeInt(value: string | undefined, name: string, fallback: number): Result<number> {
  if (value === undefined) return ok(fallback);
  if (!/^\d+$/.test(value))
    return fail('BadRequestData', `${name}: expected a non-negative integer, got '${value}'`);
  return ok(Number(value));
}

export interface ParsedQuery {
  query: EntityQuery;
  representation: Representation;
  /** the query selects something: a GET /entities without any filter is not allowed (clause 5.7.2) */
  hasFilter: boolean;
}

/** Turns the query parameters of Query Entities into an EntityQuery (clause 5.7.2, 6.4.3.2). */
export function parseEntityQuery(params: Params, terms: TermMap): Result<ParsedQuery> {
  const checked = checkParams(params, ENTITY_QUERY_PARAMS);
  if (!checked.ok) return checked;
  const get = (n: string) => single(params, n);
  const rep = parseRepresentation(params, terms);
  if (!rep.ok) return rep;
  const limitR = get('limit');
  if (!limitR.ok) return limitR;
  const offsetR = get('offset');
  if (!offsetR.ok) return offsetR;
  const limit = nonNegativeInt(limitR.value, 'limit', DEFAULT_LIMIT);
  if (!limit.ok) return limit;
  if (limit.value > MAX_LIMIT)
    return fail('TooManyResults', `limit ${limit.value} exceeds the maximum of ${MAX_LIMIT}`);
  const offset = nonNegativeInt(offsetR.value, 'offset', 0);
  if (!offset.ok) return offset;
  const options = (get('options').ok ? (params.options as string | undefined) : undefined)?.split(',') ?? [];
  const countR = get('count');
  if (!countR.ok) return countR;
  const query: EntityQuery = {
    limit: limit.value,
    offset: offset.value,
    count: options.includes('count') || countR.value === 'true',
  };
  if (limit.value === 0 && !query.count)
    return fail('BadRequestData', 'limit=0 is only allowed together with count');
  let hasFilter = false;
  const id = get('id');
  if (!id.ok) return id;
  if (id.value !== undefined) {
    const ids = id.value.split(',').map((s) => s.trim());
    if (ids.some((s) => !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(s)))
      return fail('BadRequestData', `id: '${id.value}' is not a list of URIs`);
    query.ids = ids;
  }
  const idPattern = get('idPattern');
  if (!idPattern.ok) return idPattern;
  if (idPattern.value !== undefined) {
    try {
      new RegExp(idPattern.value);
    } catch {
      return fail('BadRequestData', `idPattern: '${idPattern.value}' is not a valid regular expression`);
    }
    query.idPattern = idPattern.value;
  }
  const type = get('type');
  if (!type.ok) return type;
  if (type.value !== undefined) {
    const t = parseTypeQuery(type.value);
    if (!t.ok) return t;
    query.type = expandTypeQuery(t.value, (n) => terms.expand(n));
    hasFilter = true;
  }
  const attrs = get('attrs');
  if (!attrs.ok) return attrs;
  if (attrs.value !== undefined) {
    const names = attrs.value.split(',').map((a) => a.trim());
    const core = names.filter((n) => CORE_MEMBER_NAMES.has(n));
    if (core.length > 0)
      return fail('BadRequestData', `attrs: '${core.join(',')}' are entity members, not attributes`);
    query.attrs = names.map((a) => terms.expand(a));
    hasFilter = true;
  }
  const q = get('q');
  if (!q.ok) return q;
  if (q.value !== undefined) {
    const parsed = parseQ(q.value);
    if (!parsed.ok) return parsed;
    query.q = expandQ(parsed.value, (n) => terms.expand(n));
    hasFilter = true;
  }
  const georel = get('georel');
  const geometry = get('geometry');
  const coordinates = get('coordinates');
  const geoproperty = get('geoproperty');
  for (const r of [georel, geometry, coordinates, geoproperty]) if (!r.ok) return r;
  if (georel.ok && geometry.ok && coordinates.ok && geoproperty.ok) {
    if (georel.value !== undefined || geometry.value !== undefined || coordinates.value !== undefined) {
      const g = parseGeoQuery(
        {
          georel: georel.value,
          geometry: geometry.value,
          coordinates: coordinates.value,
          geoproperty: geoproperty.value,
        },
        (n: string) => (n === 'location' ? LOCATION : terms.expand(n)),
      );
      if (!g.ok) return g;
      query.geoQ = g.value;
      hasFilter = true;
    }
  }
  const scopeQ = get('scopeQ');
  if (!scopeQ.ok) return scopeQ;
  if (scopeQ.value !== undefined) {
    const parsed = parseScopeQ(scopeQ.value);
    if (!parsed.ok) return parsed;
    query.scopeQ = parsed.value;
    hasFilter = true;
  }
  // clause 5.7.2: a query names a type, attributes, q, a geo-query or a scope, or asks local=true
  const local = single(params, 'local');
  if (local.ok && local.value === 'true') hasFilter = true;
  const datasetId = single(params, 'datasetId');
  if (!datasetId.ok) return datasetId;
  if (datasetId.value !== undefined)
    rep.value.compact.datasetIds = new Set(datasetId.value.split(',').map((d) => d.trim()));
  const orderBy = single(params, 'orderBy');
  if (!orderBy.ok) return orderBy;
  if (orderBy.value !== undefined) {
    const parsed = parseOrderBy(orderBy.value, terms);
    if (!parsed.ok) return parsed;
    query.orderBy = parsed.value;
  }
  return ok({ query, representation: rep.value, hasFilter });
}

/**
 * orderBy (clause 4.?, v1.8): `name`, `name.sub`, `name.createdAt`, `id`, `type`, each with an
 * optional `;asc` or `;desc`, comma-separated in priority order.
 */
export function parseOrderBy(text: string, terms: TermMap): Result<OrderKey[]> {
  const keys: OrderKey[] = [];
  for (const part of text.split(',')) {
    const [path, dir = 'asc'] = part.split(';').map((x) => x.trim());
    if (!path || (dir !== 'asc' && dir !== 'desc'))
      return fail('BadRequestData', `orderBy: cannot read '${part}'`);
    const [first, ...rest] = path.split('.');
    if (first === 'id' || first === 'type' || first === 'createdAt' || first === 'modifiedAt') {
      keys.push({ member: first, path: [], descending: dir === 'desc' });
    } else {
      keys.push({
        attr: terms.expand(first),
        path: rest.map((r) => (SYSTEM_MEMBERS.has(r) ? r : terms.expand(r))),
        descending: dir === 'desc',
      });
    }
  }
  return ok(keys);
}

const SYSTEM_MEMBERS = new Set(['createdAt', 'modifiedAt', 'observedAt', 'unitCode', 'datasetId']);
