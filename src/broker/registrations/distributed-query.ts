/**
 * Distributed retrieve and query (ETSI GS CIM 009 v1.8, clause 4.3.6 and 5.7.1/5.7.2): a request
 * is answered from the local store and from every context source whose registration matches it.
 * Each source gets the client's filters (type, id, idPattern, attrs, q, geoQ, scopeQ), the
 * client's @context Link, a limit covering the requested page, and a Via header naming this
 * broker; results are parsed with the request's term map, cut to what the registration covers,
 * and merged with the local entities by id. A source that fails or exceeds the timeout is left
 * out and named in a warning instead of holding the answer up.
 *
 * Modes (clause 4.3.6.2): inclusive and redirect sources add to the local data; exclusive
 * sources are authoritative for what they register, so local instances of those attributes are
 * dropped; auxiliary sources only fill attributes nobody else provides.
 */
import {
  type CSourceRegistration,
  coversEntity,
  type Entity,
  evaluateTypeQuery,
  fail,
  matchingInformation,
  ok,
  type RegistrationFilter,
  type RegistrationInfo,
  type Result,
  registeredAttributes,
  registeredOperations,
  type TermMap,
  type TypeNode,
} from '../../ngsi/index.ts';
import type { EntityQuery, Store, Tenant } from '../../store/index.ts';
import { type EntityFragment, mergeById, mergeFragments, parseRemoteEntity } from './entity-merge.ts';

/** How long a source may take before it is given up (overridable per broker). */
export const DEFAULT_FORWARD_TIMEOUT_MS = 3000;
/** The largest page a source is asked for: the spec's usual maximum limit. */
const MAX_FORWARD_LIMIT = 1000;

/** Client parameters a source gets unchanged: the filters. Representation is applied after merging. */
const FORWARDED_PARAMS = [
  'id',
  'type',
  'idPattern',
  'q',
  'georel',
  'geometry',
  'coordinates',
  'geoproperty',
  'scopeQ',
  'datasetId',
];

type Params = Record<string, string | string[] | undefined>;

export interface DistributedQueryOptions {
  store: Store;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** this broker's name in Via headers (clause 6.3.18 loop detection), read per request */
  self: () => string;
  now?: () => Date;
}

/** A request as it arrived, with what forwarding needs of it. */
export interface ForwardContext {
  tenant: Tenant;
  /** the request's term map: sources answer in the same @context, so it parses their answers */
  terms: TermMap;
  /** the client's query parameters */
  params: Params;
  /** the client's Link header (its @context), forwarded as is */
  link?: string;
  /** the Via header of the incoming request */
  via?: string;
  /** local=true: no forwarding (clause 6.3.18) */
  local?: boolean;
}

export interface DistributedResult<T> {
  result: T;
  /** one per failed source, in the form of an HTTP Warning value: `199 <endpoint> "<reason>"` */
  warnings: string[];
}

interface Target {
  reg: CSourceRegistration;
  infos: RegistrationInfo[];
}

function typeNames(node: TypeNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'type') return [node.name];
  return node.children.flatMap((c) => typeNames(c) ?? []);
}

/** The Via entries of a header: `1.1 name, 1.1 other` -> ['name', 'other'] (RFC 9110, clause 7.6.3). */
function viaNames(via: string | undefined): string[] {
  if (!via) return [];
  return via
    .split(',')
    .map((p) => p.trim().split(/\s+/)[1] ?? '')
    .filter((n) => n !== '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export type DistributedQuery = ReturnType<typeof createDistributedQuery>;

export function createDistributedQuery(options: DistributedQueryOptions) {
  const { store } = options;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS;
  const clock = options.now ?? (() => new Date());

  /** Registrations to forward to: in force, matching, allowing the operation, not already on the request's path. */
  async function targets(
    ctx: ForwardContext,
    filter: RegistrationFilter,
    operation: 'retrieveEntity' | 'queryEntity',
  ): Promise<Target[]> {
    if (ctx.local) return [];
    const self = options.self();
    const seen = viaNames(ctx.via);
    // our own name in Via: the request has come round a loop; answer from local data only
    if (seen.includes(self)) return [];
    const now = Date.parse(clock().toISOString());
    const out: Target[] = [];
    for (const reg of await store.registrations.listRegistrations(ctx.tenant)) {
      if (reg.expiresAt !== undefined && Date.parse(reg.expiresAt) <= now) continue;
      if (reg.observationInterval || reg.managementInterval) continue;
      const host = hostOf(reg.endpoint);
      if (host === self || seen.includes(host)) continue;
      const ops = registeredOperations(reg);
      if (!ops.has(operation) && !ops.has('queryEntity')) continue;
      const infos = matchingInformation(reg, filter);
      if (infos.length > 0) out.push({ reg, infos });
    }
    return out;
  }

  function headers(ctx: ForwardContext, reg: CSourceRegistration): Record<string, string> {
    const h: Record<string, string> = {
      accept: 'application/json',
      via: [ctx.via, `1.1 ${options.self()}`].filter(Boolean).join(', '),
    };
    if (ctx.link) h.link = ctx.link;
    if (reg.tenant) h['ngsild-tenant'] = reg.tenant;
    for (const { key, value } of reg.contextSourceInfo ?? []) {
      // members the spec defines for the source's own use, not as headers
      if (key !== 'jsonldContext' && key !== 'type') h[key.toLowerCase()] = value;
    }
    return h;
  }

  /** The attributes to ask a source for: the request's, cut to what the registration covers. */
  function forwardedAttrs(infos: RegistrationInfo[], requested: string[] | undefined): string[] | undefined {
    const covered = infos.map(registeredAttributes);
    if (covered.some((c) => c === undefined)) return requested;
    const union = [...new Set(covered.flat() as string[])];
    return requested ? union.filter((a) => requested.includes(a)) : union;
  }

  /** Keeps what the registration covers: its entities, and of them its attributes. */
  function restrict(entity: Entity, infos: RegistrationInfo[]): Entity | undefined {
    const relevant = infos.filter((i) => coversEntity([i], entity.id, entity.type));
    if (relevant.length === 0) return undefined;
    const covered = relevant.map(registeredAttributes);
    if (covered.some((c) => c === undefined)) return entity;
    const keep = new Set(covered.flat() as string[]);
    const attrs: Entity['attrs'] = {};
    for (const [name, list] of Object.entries(entity.attrs)) if (keep.has(name)) attrs[name] = list;
    return { ...entity, attrs };
  }

  /** Local entities lose the attributes an exclusive registration claims for them. */
  function withoutExclusive(entity: Entity, exclusive: Target[]): Entity {
    let out = entity;
    for (const { infos } of exclusive) {
      for (const info of infos) {
        if (!coversEntity([info], entity.id, entity.type)) continue;
        const names = registeredAttributes(info);
        if (!names) continue;
        const attrs = { ...out.attrs };
        for (const n of names) delete attrs[n];
        out = { ...out, attrs };
      }
    }
    return out;
  }

  async function call(
    target: Target,
    url: string,
    ctx: ForwardContext,
    warnings: string[],
  ): Promise<{ status: number; body: unknown; count?: number } | undefined> {
    const where = target.reg.endpoint;
    try {
      const res = await doFetch(url, {
        headers: headers(ctx, target.reg),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.status === 404) return { status: 404, body: undefined };
      if (!res.ok) {
        warnings.push(
          `199 ${where} "registration ${target.reg.id}: the context source answered HTTP ${res.status}"`,
        );
        return undefined;
      }
      const count = res.headers.get('ngsild-results-count');
      return {
        status: res.status,
        body: JSON.parse(text),
        count: count === null ? undefined : Number(count),
      };
    } catch (err) {
      const e = err as Error;
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      const reason =
        e.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `unreachable (${cause ?? e.message})`;
      warnings.push(`199 ${where} "registration ${target.reg.id}: ${reason}"`);
      return undefined;
    }
  }

  function entitiesUrl(endpoint: string, params: URLSearchParams, id?: string): string {
    const base = `${endpoint.replace(/\/+$/, '')}/ngsi-ld/v1/entities`;
    const path = id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
    const qs = params.toString();
    return qs === '' ? path : `${path}?${qs}`;
  }

  function parseAll(body: unknown, target: Target, ctx: ForwardContext, warnings: string[]): Entity[] {
    const list = Array.isArray(body) ? body : [body];
    const out: Entity[] = [];
    for (const raw of list) {
      const parsed = parseRemoteEntity(raw, ctx.terms);
      if (!parsed.ok) {
        warnings.push(
          `199 ${target.reg.endpoint} "registration ${target.reg.id}: an entity in the answer is invalid: ${parsed.problem.detail}"`,
        );
        continue;
      }
      const kept = restrict(parsed.value, target.infos);
      if (kept) out.push(kept);
    }
    return out;
  }

  return {
    /** A tenant that only registers context sources exists for reads all the same. */
    async hasRegistrations(tenant: Tenant): Promise<boolean> {
      return (await store.registrations.listRegistrations(tenant)).length > 0;
    },

    /** clause 5.7.2 Query Entities, distributed */
    async queryEntities(
      ctx: ForwardContext,
      query: EntityQuery,
    ): Promise<DistributedResult<{ entities: Entity[]; count?: number }>> {
      const filter: RegistrationFilter = {
        types: typeNames(query.type),
        ids: query.ids,
        idPattern: query.idPattern,
        attrs: query.attrs,
      };
      const found = await targets(ctx, filter, 'queryEntity');
      if (found.length === 0) return { result: await store.queryEntities(ctx.tenant, query), warnings: [] };
      const warnings: string[] = [];
      const window = Math.min(query.offset + query.limit, MAX_FORWARD_LIMIT);
      const exclusive = found.filter((t) => t.reg.mode === 'exclusive');
      const localQuery = store.queryEntities(ctx.tenant, { ...query, offset: 0, limit: window });
      const remote = found.map(async (target) => {
        const params = new URLSearchParams();
        for (const name of FORWARDED_PARAMS) {
          const v = ctx.params[name];
          if (typeof v === 'string') params.set(name, v);
        }
        const attrs = forwardedAttrs(target.infos, query.attrs);
        if (attrs && attrs.length === 0)
          return { target, entities: [] as Entity[], complete: true, count: 0 };
        if (attrs) params.set('attrs', attrs.join(','));
        params.set('limit', String(window));
        params.set('options', 'sysAttrs');
        if (query.count) params.set('count', 'true');
        const res = await call(target, entitiesUrl(target.reg.endpoint, params), ctx, warnings);
        if (!res || res.status === 404) return { target, entities: [] as Entity[], complete: true, count: 0 };
        const entities = parseAll(res.body, target, ctx, warnings).filter(
          (e) => !query.type || evaluateTypeQuery(query.type, e.type),
        );
        const n = Array.isArray(res.body) ? res.body.length : 1;
        return { target, entities, complete: n < window, count: res.count ?? entities.length };
      });
      const [local, ...answers] = await Promise.all([localQuery, ...remote]);
      const fragments: EntityFragment[] = local.entities.map((e) => ({
        entity: withoutExclusive(e, exclusive),
      }));
      for (const a of answers)
        for (const e of a.entities)
          fragments.push({ entity: e, auxiliary: a.target.reg.mode === 'auxiliary' });
      const merged = mergeById(fragments);
      const result: { entities: Entity[]; count?: number } = {
        entities: merged.slice(query.offset, query.offset + query.limit),
      };
      if (query.count) {
        const complete = (local.count ?? 0) <= window && answers.every((a) => a.complete);
        // every source gave all it has: the union is exact; otherwise the sum is an upper bound
        result.count = complete
          ? merged.length
          : (local.count ?? 0) + answers.reduce((s, a) => s + a.count, 0);
      }
      return { result, warnings };
    },

    /** clause 5.7.1 Retrieve Entity, distributed: a source without retrieveEntity is asked with a query by id */
    async retrieveEntity(
      ctx: ForwardContext,
      id: string,
      attrs?: string[],
    ): Promise<DistributedResult<Result<Entity>>> {
      const type = ctx.params.type;
      const types =
        typeof type === 'string' ? type.split(',').map((t) => ctx.terms.expand(t.trim())) : undefined;
      const found = await targets(ctx, { ids: [id], attrs, types }, 'retrieveEntity');
      const local = await store.getEntity(ctx.tenant, id);
      if (found.length === 0)
        return {
          result: local ? ok(local) : fail('ResourceNotFound', `entity '${id}' not found`),
          warnings: [],
        };
      const warnings: string[] = [];
      const exclusive = found.filter((t) => t.reg.mode === 'exclusive');
      const answers = await Promise.all(
        found.map(async (target) => {
          const params = new URLSearchParams();
          const wanted = forwardedAttrs(target.infos, attrs);
          if (wanted && wanted.length === 0) return [];
          if (wanted) params.set('attrs', wanted.join(','));
          params.set('options', 'sysAttrs');
          const byRetrieve = registeredOperations(target.reg).has('retrieveEntity');
          if (!byRetrieve) {
            params.set('id', id);
            // a query needs a type (clause 5.7.2): the client's, or the types the source registered
            const registered = [
              ...new Set(target.infos.flatMap((i) => (i.entities ?? []).flatMap((e) => e.type ?? []))),
            ];
            if (typeof ctx.params.type === 'string') params.set('type', ctx.params.type);
            else if (registered.length > 0) params.set('type', registered.join(','));
            else params.set('local', 'true');
          }
          const res = await call(
            target,
            entitiesUrl(target.reg.endpoint, params, byRetrieve ? id : undefined),
            ctx,
            warnings,
          );
          if (!res || res.status === 404) return [];
          return parseAll(res.body, target, ctx, warnings)
            .filter((e) => e.id === id)
            .map((e) => ({ entity: e, auxiliary: target.reg.mode === 'auxiliary' }));
        }),
      );
      const fragments: EntityFragment[] = local ? [{ entity: withoutExclusive(local, exclusive) }] : [];
      for (const list of answers) fragments.push(...list);
      if (fragments.length === 0)
        return { result: fail('ResourceNotFound', `entity '${id}' not found`), warnings };
      return { result: ok(mergeFragments(fragments)), warnings };
    },
  };
}
