/**
 * /ngsi-ld/v1/csourceRegistrations (ETSI GS CIM 009 v1.8, clause 6.8–6.9; operations of clause
 * 5.9 and 5.10): register, update, delete, retrieve and query context source registrations.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Broker } from '../../broker/index.ts';
import type {
  DistributedQuery,
  Federation,
  ForwardContext,
  IntervalQuery,
  RegistrationQuery,
} from '../../broker/registrations/index.ts';
import {
  compactRegistration,
  dateTimeMs,
  expandQ,
  expandTypeQuery,
  fail,
  isUri,
  LOCATION,
  parseGeoQuery,
  parseQ,
  parseRegistration,
  parseTypeQuery,
  type QNode,
  type RegistrationFilter,
  type TermMap,
  type TypeNode,
} from '../../ngsi/index.ts';
import { badRequest, bodyContext, setContextHeaders, unwrap } from '../negotiation.ts';
import { checkParams, DEFAULT_LIMIT, MAX_LIMIT } from '../query-params.ts';
import { type RouteDeps, readContext, tenantOf, writeContext } from '../request.ts';

type Params = Record<string, string | string[] | undefined>;
type IdParams = { registrationId: string };

const QUERY_PARAMS = new Set([
  'id',
  'type',
  'idPattern',
  'attrs',
  'q',
  'csf',
  'georel',
  'geometry',
  'coordinates',
  'geoproperty',
  'timeproperty',
  'timerel',
  'timeAt',
  'endTimeAt',
  'limit',
  'offset',
  'count',
  'options',
  'lang',
  'local',
]);
const RETRIEVE_PARAMS = new Set(['options', 'lang', 'local']);

function single(params: Params, name: string): string | undefined {
  const v = params[name];
  if (Array.isArray(v)) badRequest(`query parameter '${name}' given more than once`);
  return v as string | undefined;
}

export function pageParams(params: Params): { limit: number; offset: number; count: boolean } {
  const limitText = single(params, 'limit');
  const offsetText = single(params, 'offset');
  const count =
    single(params, 'count') === 'true' || (single(params, 'options') ?? '').split(',').includes('count');
  if (limitText !== undefined && !/^\d+$/.test(limitText))
    badRequest(`limit: expected a non-negative integer, got '${limitText}'`);
  if (offsetText !== undefined && !/^\d+$/.test(offsetText))
    badRequest(`offset: expected a non-negative integer, got '${offsetText}'`);
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (limit > MAX_LIMIT) unwrap(fail('TooManyResults', `limit ${limit} exceeds the maximum of ${MAX_LIMIT}`));
  if (limit === 0 && !count) badRequest('limit=0 is only allowed together with count');
  return { limit, offset: offsetText === undefined ? 0 : Number(offsetText), count };
}

function attributeNames(node: QNode): string[] {
  return node.kind === 'and' || node.kind === 'or' ? node.children.flatMap(attributeNames) : [node.path.attr];
}

function typeNames(node: TypeNode): string[] {
  return node.kind === 'type' ? [node.name] : node.children.flatMap(typeNames);
}

/** The temporal query of clause 5.10.2 (timerel, timeAt, endTimeAt, timeproperty). */
function intervalQuery(params: Params): IntervalQuery | undefined {
  const timerel = single(params, 'timerel');
  const timeAt = single(params, 'timeAt');
  const endTimeAt = single(params, 'endTimeAt');
  const timeproperty = single(params, 'timeproperty') ?? 'observedAt';
  if (timerel === undefined && timeAt === undefined) return undefined;
  if (timerel !== 'before' && timerel !== 'after' && timerel !== 'between')
    badRequest(`timerel: '${timerel}' is not before, after or between`);
  const at = timeAt === undefined ? undefined : dateTimeMs(timeAt);
  if (at === undefined) badRequest(`timeAt: '${timeAt}' is not a date-time`);
  const end = endTimeAt === undefined ? undefined : dateTimeMs(endTimeAt);
  if (timerel === 'between' && end === undefined) badRequest('timerel=between needs a valid endTimeAt');
  if (!['observedAt', 'createdAt', 'modifiedAt'].includes(timeproperty))
    badRequest(`timeproperty: '${timeproperty}' is not observedAt, createdAt or modifiedAt`);
  return {
    timerel: timerel as IntervalQuery['timerel'],
    timeAtMs: at!,
    endTimeAtMs: end,
    timeproperty: timeproperty as IntervalQuery['timeproperty'],
  };
}

/** Query parameters of clause 6.8.3.2 to a RegistrationQuery; at least a type or attribute selector. */
function registrationQuery(params: Params, terms: TermMap): RegistrationQuery {
  // csf is implemented here, though the shared table marks it not implemented for entities
  for (const name of Object.keys(params))
    if (!QUERY_PARAMS.has(name)) badRequest(`unknown query parameter '${name}'`);
  const filter: RegistrationFilter = {};
  const type = single(params, 'type');
  const attrs = single(params, 'attrs');
  if (type === undefined && attrs === undefined)
    badRequest('Query Context Source Registrations needs type or attrs (clause 5.10.2)');
  if (type !== undefined)
    filter.types = typeNames(expandTypeQuery(unwrap(parseTypeQuery(type)), (n) => terms.expand(n)));
  if (attrs !== undefined) filter.attrs = attrs.split(',').map((a) => terms.expand(a.trim()));
  const id = single(params, 'id');
  if (id !== undefined) {
    const ids = id.split(',').map((s) => s.trim());
    if (!ids.every(isUri)) badRequest(`id: '${id}' is not a list of URIs`);
    filter.ids = ids;
  }
  const idPattern = single(params, 'idPattern');
  if (idPattern !== undefined) {
    try {
      new RegExp(idPattern);
    } catch {
      badRequest(`idPattern: '${idPattern}' is not a valid regular expression`);
    }
    filter.idPattern = idPattern;
  }
  const query: RegistrationQuery = { filter, ...pageParams(params) };
  const q = single(params, 'q');
  if (q !== undefined) {
    // a registration holds no values: q is matched by the attribute names it mentions (clause 5.10.2)
    const names = attributeNames(expandQ(unwrap(parseQ(q)), (n) => terms.expand(n)));
    filter.attrs = [...(filter.attrs ?? []), ...names];
  }
  const csf = single(params, 'csf');
  if (csf !== undefined) query.csf = expandQ(unwrap(parseQ(csf)), (n) => terms.expand(n));
  const georel = single(params, 'georel');
  const geometry = single(params, 'geometry');
  const coordinates = single(params, 'coordinates');
  if (georel !== undefined || geometry !== undefined || coordinates !== undefined) {
    const geoproperty = single(params, 'geoproperty');
    query.geoQ = unwrap(
      parseGeoQuery({ georel, geometry, coordinates, geoproperty }, (n) =>
        n === 'location' ? LOCATION : terms.expand(n),
      ),
    );
  }
  const temporal = intervalQuery(params);
  if (temporal) query.temporal = temporal;
  return query;
}

/** A read from a tenant nobody wrote to is NonexistentTenant, unless the tenant registers context sources. */
export async function readableFederatedTenant(
  request: FastifyRequest,
  broker: Broker,
  federation?: DistributedQuery,
): Promise<string> {
  const tenant = tenantOf(request);
  if ((await broker.tenantExists(tenant)) || (federation && (await federation.hasRegistrations(tenant))))
    return tenant;
  return unwrap(fail('NonexistentTenant', `tenant '${tenant}' does not exist`));
}

/** What forwarding needs of an incoming entity request: its filters, @context Link, Via, local flag. */
export function forwardContext(request: FastifyRequest, tenant: string, terms: TermMap): ForwardContext {
  const params = request.query as Params;
  const header = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  return { tenant, terms, params, link: header('link'), via: header('via'), local: params.local === 'true' };
}

function registrationId(request: FastifyRequest<{ Params: IdParams }>): string {
  const id = request.params.registrationId;
  if (!isUri(id)) badRequest(`registration id '${id}' is not a URI`);
  return id;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function sysAttrs(params: Params): boolean {
  return (single(params, 'options') ?? '').split(',').includes('sysAttrs');
}

export function csourceRegistrationRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  federation: Federation,
): void {
  const { registrations } = federation;
  const now = () => new Date().toISOString();

  app.post('/csourceRegistrations', async (request, reply) => {
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const body = objectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    const draft = unwrap(parseRegistration(body, terms, { now: now() }));
    const id = unwrap(await registrations.createRegistration(tenantOf(request), draft));
    return reply
      .code(201)
      .header('location', `/ngsi-ld/v1/csourceRegistrations/${encodeURIComponent(id)}`)
      .send();
  });

  app.get('/csourceRegistrations', async (request, reply) => {
    const params = request.query as Params;
    const ctx = await readContext(request, deps, false);
    const query = registrationQuery(params, ctx.terms);
    const { registrations: found, count } = await registrations.queryRegistrations(tenantOf(request), query);
    if (query.count) reply.header('ngsild-results-count', String(count));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    const context = ctx.type === 'application/ld+json' ? bodyContext(ctx.contextUrl) : undefined;
    return reply.send(
      found.map((r) => compactRegistration(r, ctx.terms, { sysAttrs: sysAttrs(params), context })),
    );
  });

  app.get<{ Params: IdParams }>('/csourceRegistrations/:registrationId', async (request, reply) => {
    const id = registrationId(request);
    const params = request.query as Params;
    unwrap(checkParams(params, RETRIEVE_PARAMS));
    const ctx = await readContext(request, deps, false);
    const reg = unwrap(await registrations.retrieveRegistration(tenantOf(request), id));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    const context = ctx.type === 'application/ld+json' ? bodyContext(ctx.contextUrl) : undefined;
    return reply.send(compactRegistration(reg, ctx.terms, { sysAttrs: sysAttrs(params), context }));
  });

  app.patch<{ Params: IdParams }>('/csourceRegistrations/:registrationId', async (request, reply) => {
    const id = registrationId(request);
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const body = objectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    const draft = unwrap(parseRegistration(body, terms, { now: now(), partial: true }));
    unwrap(await registrations.updateRegistration(tenantOf(request), id, draft));
    return reply.code(204).send();
  });

  // clause 6.9: the resource needs an id; without one the request is malformed, not a missing resource
  for (const method of ['PATCH', 'DELETE'] as const) {
    for (const url of ['/csourceRegistrations', '/csourceRegistrations/']) {
      app.route({
        method,
        url,
        handler: async () => badRequest('the registration id is missing from the path'),
      });
    }
  }

  app.delete<{ Params: IdParams }>('/csourceRegistrations/:registrationId', async (request, reply) => {
    const id = registrationId(request);
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    unwrap(await registrations.deleteRegistration(tenantOf(request), id));
    return reply.code(204).send();
  });
}
