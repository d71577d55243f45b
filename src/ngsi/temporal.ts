/**
 * Temporal representations of an entity (clause 4.5.7–4.5.9, 5.7.3): normalized (every instance
 * as an attribute with its instanceId), temporalValues (pairs of value and time) and aggregated
 * (one series per aggregation method); plus the durations of aggrPeriodDuration.
 */
import type { TermMap } from './context.ts';
import { type Attribute, type CompactedEntity, ENTITY_CORE_MEMBERS, type Entity } from './entity.ts';
import { compactInstances } from './entity-compactor.ts';
import { parseAttributeInstances, parseEntity } from './entity-parser.ts';
import { fail, ok, type Result } from './errors.ts';

export interface TemporalInstance {
  instanceId: string;
  attr: string;
  attribute: Attribute;
  createdAt: string;
  modifiedAt: string;
}

export interface TemporalAggregate {
  attr: string;
  startAt: string;
  endAt: string;
  values: Record<string, number | null | undefined>;
}

export type TemporalFormat = 'normalized' | 'temporalValues' | 'aggregatedValues';

export interface TemporalCompactOptions {
  format: TemporalFormat;
  sysAttrs?: boolean;
  timeproperty: 'observedAt' | 'createdAt' | 'modifiedAt';
  lang?: string;
  includeId?: boolean;
  includeType?: boolean;
  context?: unknown;
  /** attributes shown without instances (their instances lie on another page, clause 6.3.10) */
  emptyAttributes?: Record<string, Attribute['type']>;
}

const VALUES_MEMBER: Record<Attribute['type'], string> = {
  Property: 'values',
  GeoProperty: 'values',
  Relationship: 'objects',
  LanguageProperty: 'languageMaps',
  VocabProperty: 'vocabs',
  JsonProperty: 'jsons',
  ListProperty: 'valueLists',
  ListRelationship: 'objectLists',
};

/**
 * The value of one instance in the temporalValues representation (clause 4.5.9): a
 * LanguageProperty, JsonProperty or VocabProperty keeps its member name around the value
 * (`[{"languageMap": {...}}, time]`), so a client can tell a JSON value from a language map.
 */
function mainValue(a: Attribute, terms: TermMap): unknown {
  switch (a.type) {
    case 'Relationship':
      return a.object;
    case 'LanguageProperty':
      return { languageMap: a.languageMap };
    case 'VocabProperty':
      return {
        vocab: Array.isArray(a.vocab) ? a.vocab.map((v) => terms.compact(v)) : terms.compact(a.vocab ?? ''),
      };
    case 'JsonProperty':
      return { json: a.json };
    case 'ListProperty':
      return a.valueList;
    case 'ListRelationship':
      return a.objectList;
    default:
      return a.value;
  }
}

/** Whole-second times without a `.000` fraction, as clients write them (`2020-08-01T12:03:00Z`). */
function dateTime(text: string | undefined): string | undefined {
  return text?.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/**
 * Compacts a temporal entity: header members plus, per attribute, its instances.
 *
 * @example
 * compactTemporalEntity({ id, type: [T], attrs: {} }, instances, [], terms, { format: 'temporalValues', timeproperty: 'observedAt' });
 */
export function compactTemporalEntity(
  header: Entity,
  instances: TemporalInstance[],
  aggregates: TemporalAggregate[],
  terms: TermMap,
  options: TemporalCompactOptions,
): CompactedEntity {
  const out: CompactedEntity = {};
  if (options.context !== undefined) out['@context'] = options.context;
  if (options.includeId !== false) out.id = header.id;
  if (options.includeType !== false) {
    const types = header.type.map((t) => terms.compact(t));
    out.type = types.length === 1 ? types[0] : types;
  }
  if (options.sysAttrs) {
    if (header.createdAt) out.createdAt = header.createdAt;
    if (header.modifiedAt) out.modifiedAt = header.modifiedAt;
  }
  if (options.format === 'aggregatedValues') {
    const byAttr = new Map<string, TemporalAggregate[]>();
    for (const a of aggregates) {
      const list = byAttr.get(a.attr);
      if (list) list.push(a);
      else byAttr.set(a.attr, [a]);
    }
    for (const [attr, list] of byAttr) {
      const type = instances.find((i) => i.attr === attr)?.attribute.type ?? 'Property';
      const series: Record<string, unknown> = { type };
      for (const method of Object.keys(list[0].values)) {
        series[method] = list.map((b) => [b.values[method] ?? null, dateTime(b.startAt), dateTime(b.endAt)]);
      }
      out[terms.compact(attr)] = series;
    }
    return out;
  }
  const byAttr = new Map<string, TemporalInstance[]>();
  for (const [attr, type] of Object.entries(options.emptyAttributes ?? {})) {
    const name = terms.compact(attr);
    out[name] = options.format === 'temporalValues' ? { type, [VALUES_MEMBER[type]]: [] } : [];
  }
  for (const i of instances) {
    const list = byAttr.get(i.attr);
    if (list) list.push(i);
    else byAttr.set(i.attr, [i]);
  }
  for (const [attr, list] of byAttr) {
    const name = terms.compact(attr);
    if (options.format === 'temporalValues') {
      const groups = new Map<string, TemporalInstance[]>();
      for (const i of list) {
        const key = i.attribute.datasetId ?? '';
        const g = groups.get(key);
        if (g) g.push(i);
        else groups.set(key, [i]);
      }
      const series = [...groups.values()].map((g) => {
        const first = g[0].attribute;
        const s: Record<string, unknown> = { type: first.type };
        s[VALUES_MEMBER[first.type]] = g.map((i) => [
          mainValue(i.attribute, terms),
          dateTime(timeOf(i, options.timeproperty)),
        ]);
        if (first.datasetId) s.datasetId = first.datasetId;
        return s;
      });
      out[name] = series.length === 1 ? series[0] : series;
      continue;
    }
    out[name] = list.map((i) => {
      const attribute: Attribute = { ...i.attribute };
      if (options.sysAttrs) {
        attribute.createdAt = i.createdAt;
        attribute.modifiedAt = i.modifiedAt;
      }
      const compacted = compactInstances([attribute], terms, 'normalized', {
        sysAttrs: options.sysAttrs,
        lang: options.lang,
      }) as Record<string, unknown>;
      return { ...compacted, instanceId: i.instanceId };
    });
  }
  return out;
}

function timeOf(i: TemporalInstance, p: TemporalCompactOptions['timeproperty']): string | undefined {
  if (p === 'observedAt') return i.attribute.observedAt;
  return p === 'createdAt' ? i.createdAt : i.modifiedAt;
}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * ISO 8601 duration -> milliseconds. Years and months have no fixed length; they count as 365
 * and 30 days, which is what aggregation buckets need (a fixed width).
 *
 * @example
 * parseDuration('PT1H'); // ok(3_600_000)
 */
export function parseDuration(text: string): Result<number> {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T'))
    return fail('BadRequestData', `'${text}' is not an ISO 8601 duration`);
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => (x ? Number(x) : 0));
  const ms = ((((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
  return ok(ms);
}

/** A temporal entity body: header plus, per attribute, any number of instances (clause 4.5.7). */
export interface TemporalEntityInput {
  id: string;
  type: string[];
  instances: Array<{ attr: string; attribute: Attribute }>;
}

/**
 * Parses a temporal entity (or a fragment of one for "add attributes"): unlike an entity, an
 * attribute may hold many instances with the same datasetId, one per point in time.
 */
export function parseTemporalEntity(
  body: unknown,
  terms: TermMap,
  requireHeader: boolean,
): Result<TemporalEntityInput> {
  const header = parseEntity(
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? Object.fromEntries(
          Object.entries(body as Record<string, unknown>).filter(([k]) => ENTITY_CORE_MEMBERS.has(k)),
        )
      : body,
    terms,
    { requireId: requireHeader, requireType: requireHeader },
  );
  if (!header.ok) return header;
  const out: TemporalEntityInput = { id: header.value.id, type: header.value.type, instances: [] };
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (ENTITY_CORE_MEMBERS.has(name)) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) return fail('BadRequestData', `attribute '${name}': no instances`);
    for (const item of list) {
      const parsed = parseAttributeInstances(name, item, terms);
      if (!parsed.ok) return parsed;
      for (const attribute of parsed.value.instances)
        out.instances.push({ attr: parsed.value.iri, attribute });
    }
  }
  return ok(out);
}
