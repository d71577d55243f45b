/**
 * Reads a city instance over the NGSI-LD API (clause 6): entity types, entities in pages, one
 * entity, and history from the temporal API. No @context is sent; names are shortened with
 * localName on arrival, and the expanded names from /types are used in queries.
 */
import { localName, withLocalNames } from './local-name.ts';

export const PAGE_SIZE = 1000;
/** Browsers open at most six HTTP/1.1 connections per host; more parallel pages only queue. */
const PARALLEL_PAGES = 6;

export interface TwinTarget {
  base: string;
  tenant?: string;
}

export interface EntityTypeInfo {
  /** local name, e.g. Building */
  name: string;
  /** the name as the broker knows it (expanded IRI or term) */
  iri: string;
  /** local attribute name -> name as the broker knows it */
  attributes: Map<string, string>;
}

export type KeyValuesEntity = Record<string, unknown> & { id: string; type: string };

function headers(target: TwinTarget, accept = 'application/json'): HeadersInit {
  const h: Record<string, string> = { accept };
  if (target.tenant) h['ngsild-tenant'] = target.tenant;
  return h;
}

async function getJson<T>(target: TwinTarget, path: string, signal?: AbortSignal): Promise<{ body: T; res: Response }> {
  const res = await fetch(`${target.base}/ngsi-ld/v1${path}`, { headers: headers(target), signal });
  if (!res.ok && res.status !== 206) {
    let detail = res.statusText;
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? detail;
    } catch {
      // the body was not a ProblemDetails; the status text says enough
    }
    throw new Error(`${res.status} ${detail}`);
  }
  return { body: (await res.json()) as T, res };
}

/** GET /types?details=true (clause 6.25): every type with its attribute names. */
export async function fetchEntityTypes(target: TwinTarget, signal?: AbortSignal): Promise<EntityTypeInfo[]> {
  const { body } = await getJson<Array<{ typeName: string; attributeNames?: string[] }>>(target, '/types?details=true', signal);
  return body.map((t) => ({
    name: localName(t.typeName),
    iri: t.typeName,
    attributes: new Map((t.attributeNames ?? []).map((a) => [localName(a), a])),
  }));
}

/**
 * All entities of a type, keyValues, fetched as pages of PAGE_SIZE: the first page brings the
 * total count, the rest are fetched in parallel. `onPage` sees each page as it lands.
 */
export async function fetchAllEntities(
  target: TwinTarget,
  type: EntityTypeInfo,
  signal?: AbortSignal,
  onPage?: (entities: KeyValuesEntity[]) => void,
): Promise<KeyValuesEntity[]> {
  const path = (offset: number, count: boolean) =>
    `/entities?type=${encodeURIComponent(type.iri)}&options=keyValues&limit=${PAGE_SIZE}&offset=${offset}${count ? '&count=true' : ''}`;
  const first = await getJson<Record<string, unknown>[]>(target, path(0, true), signal);
  const total = Number(first.res.headers.get('ngsild-results-count') ?? first.body.length);
  const pages: KeyValuesEntity[][] = [first.body.map((e) => withLocalNames(e) as KeyValuesEntity)];
  onPage?.(pages[0]);
  const offsets: number[] = [];
  for (let o = PAGE_SIZE; o < total; o += PAGE_SIZE) offsets.push(o);
  let next = 0;
  const worker = async () => {
    while (next < offsets.length) {
      const offset = offsets[next++];
      const { body } = await getJson<Record<string, unknown>[]>(target, path(offset, false), signal);
      const page = body.map((e) => withLocalNames(e) as KeyValuesEntity);
      pages[offset / PAGE_SIZE] = page;
      onPage?.(page);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PAGES, offsets.length) }, worker));
  return pages.flat();
}

/** One attribute of an entity in normalized form, with its local name. */
export interface AttributeView {
  name: string;
  type: string;
  value: unknown;
  unitCode?: string;
  observedAt?: string;
  /** sub-properties (description, modelledAttributes ...) by local name, their values only */
  sub: Record<string, unknown>;
}

export interface EntityView {
  id: string;
  type: string;
  attributes: AttributeView[];
}

/** A normalized entity (clause 4.5.2) as the panel shows it: attributes with local names. */
export function toEntityView(body: Record<string, unknown>): EntityView {
  const attributes: AttributeView[] = [];
  for (const [k, raw] of Object.entries(body)) {
    if (k === 'id' || k === 'type' || k === '@context') continue;
    const list = Array.isArray(raw) ? raw : [raw];
    for (const a of list as Array<Record<string, unknown>>) {
      if (!a || typeof a !== 'object') continue;
      const sub: Record<string, unknown> = {};
      for (const [sk, sv] of Object.entries(a)) {
        if (['type', 'value', 'object', 'unitCode', 'observedAt', 'datasetId', 'languageMap', 'vocab', 'json'].includes(sk)) continue;
        const s = sv as Record<string, unknown> | null;
        sub[localName(sk)] = s && typeof s === 'object' && 'value' in s ? s.value : s && typeof s === 'object' && 'object' in s ? s.object : sv;
      }
      attributes.push({
        name: localName(k),
        type: String(a.type ?? 'Property'),
        value: a.value ?? a.object ?? a.languageMap ?? a.vocab ?? a.json,
        unitCode: a.unitCode as string | undefined,
        observedAt: a.observedAt as string | undefined,
        sub,
      });
    }
  }
  return { id: String(body.id), type: localName(String(body.type)), attributes };
}

/** The keyValues form (clause 4.5.3) of a normalized entity, names shortened: what the map takes. */
export function toKeyValues(body: Record<string, unknown>): KeyValuesEntity {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(body)) {
    if (k === '@context') continue;
    const a = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown> | string;
    out[k] = a && typeof a === 'object' && !Array.isArray(a) && 'type' in a ? (a.value ?? a.object ?? a.languageMap ?? a.vocab ?? a.json) : a;
  }
  return withLocalNames(out) as KeyValuesEntity;
}

/** GET /entities/{id} (clause 6.5.3.1), normalized, names shortened. */
export async function fetchEntity(target: TwinTarget, id: string, signal?: AbortSignal): Promise<EntityView> {
  const { body } = await getJson<Record<string, unknown>>(target, `/entities/${encodeURIComponent(id)}`, signal);
  return toEntityView(body);
}

/** A numeric series: times in seconds (uPlot's x unit) ascending, with values. */
export interface Series {
  attribute: string;
  unitCode?: string;
  times: number[];
  values: number[];
}

type TemporalValues = Record<string, unknown> & { id: string };

function toSeries(entity: TemporalValues): Series[] {
  const out: Series[] = [];
  for (const [k, raw] of Object.entries(entity)) {
    if (k === 'id' || k === 'type' || k === '@context') continue;
    const a = raw as { values?: Array<[unknown, string]>; unitCode?: string } | null;
    if (!a || !Array.isArray(a.values)) continue;
    const points = a.values
      .filter((p) => typeof p[0] === 'number' && typeof p[1] === 'string')
      .map((p) => [Date.parse(p[1]) / 1000, p[0] as number] as const)
      .sort((x, y) => x[0] - y[0]);
    if (points.length === 0) continue;
    out.push({ attribute: localName(k), unitCode: a.unitCode, times: points.map((p) => p[0]), values: points.map((p) => p[1]) });
  }
  return out.sort((a, b) => a.attribute.localeCompare(b.attribute));
}

/** GET /temporal/entities/{id} (clause 6.19): the latest `lastN` values of each numeric attribute. */
export async function fetchHistory(target: TwinTarget, id: string, lastN = 2000, signal?: AbortSignal): Promise<Series[]> {
  try {
    const { body } = await getJson<TemporalValues>(target, `/temporal/entities/${encodeURIComponent(id)}?options=temporalValues&lastN=${lastN}`, signal);
    return toSeries(body);
  } catch (err) {
    // an entity without history is answered 404; that is no error for the panel
    if (String((err as Error).message).startsWith('404')) return [];
    throw err;
  }
}

/** Which instances of a history to fetch: the latest `lastN`, or those observed in [from, to). */
export type HistoryWindow = { lastN: number } | { from: Date; to: Date };

/**
 * GET /temporal/entities (clause 6.18): one attribute's history for every entity of a type, as
 * entity id -> series. Feeds the time slider (district years, traffic hours).
 */
export async function fetchTypeHistory(
  target: TwinTarget,
  type: EntityTypeInfo,
  attribute: string,
  window: HistoryWindow,
  signal?: AbortSignal,
): Promise<Map<string, Series>> {
  const attrIri = type.attributes.get(attribute) ?? attribute;
  const range =
    'lastN' in window
      ? `lastN=${window.lastN}`
      : `timerel=between&timeAt=${window.from.toISOString()}&endTimeAt=${window.to.toISOString()}`;
  const out = new Map<string, Series>();
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const { body } = await getJson<TemporalValues[]>(
      target,
      `/temporal/entities?type=${encodeURIComponent(type.iri)}&attrs=${encodeURIComponent(attrIri)}&options=temporalValues&${range}&limit=${PAGE_SIZE}&offset=${offset}`,
      signal,
    );
    for (const e of body) {
      const s = toSeries(e).find((x) => x.attribute === attribute);
      if (s) out.set(e.id, s);
    }
    if (body.length < PAGE_SIZE) break;
  }
  return out;
}
