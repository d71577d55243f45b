/**
 * /ngsi-ld/v1/temporal/entities (clause 6.18–6.22) and POST /temporal/entityOperations/query.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createTemporalBroker,
  MAX_INSTANCES_PER_ATTRIBUTE,
  type TemporalBroker,
  type TemporalEntityResult,
  type TemporalQuery,
} from '../../broker/index.ts';
import {
  compactTemporalEntity,
  fail,
  isDateTime,
  isUri,
  isValidName,
  parseAttributeInstances,
  parseDuration,
  parseTemporalEntity,
  type TemporalFormat,
  type TermMap,
} from '../../ngsi/index.ts';
import type { AggregateMethod, TimeProperty } from '../../store/index.ts';
import { badRequest, bodyContext, setContextHeaders, unwrap } from '../negotiation.ts';
import { checkParams, ENTITY_QUERY_PARAMS, parseEntityQuery } from '../query-params.ts';
import {
  type ReadContext,
  type RouteDeps,
  readableTenant,
  readContext,
  tenantOf,
  writeContext,
} from '../request.ts';

type Params = Record<string, string | string[] | undefined>;

const TEMPORAL_PARAMS = new Set([
  ...ENTITY_QUERY_PARAMS,
  'timerel',
  'timeAt',
  'endTimeAt',
  'timeproperty',
  'lastN',
  'aggrMethods',
  'aggrPeriodDuration',
  'datasetId',
]);
const AGGR = new Set<AggregateMethod>([
  'totalCount',
  'distinctCount',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'sumsq',
]);
const TEMPORAL_OPTIONS = new Set([
  'temporalValues',
  'aggregatedValues',
  'sysAttrs',
  'count',
  'keyValues',
  'simplified',
  'normalized',
  'concise',
]);

function str(params: Params, name: string): string | undefined {
  const v = params[name];
  if (Array.isArray(v)) badRequest(`query parameter '${name}' given more than once`);
  return v as string | undefined;
}

interface TemporalRequest {
  query: TemporalQuery;
  format: TemporalFormat;
  sysAttrs: boolean;
  lang?: string;
  includeId?: boolean;
  includeType?: boolean;
}

/** Temporal parameters on top of the entity query parameters (clause 6.3.? timerel, lastN, aggr). */
function parseTemporalParams(params: Params, terms: TermMap, forRetrieve: boolean): TemporalRequest {
  for (const name of Object.keys(params))
    if (!TEMPORAL_PARAMS.has(name)) unwrap(fail('InvalidRequest', `unknown query parameter '${name}'`));
  const options = (str(params, 'options') ?? '').split(',').filter((o) => o !== '');
  for (const o of options) if (!TEMPORAL_OPTIONS.has(o)) badRequest(`options: unknown value '${o}'`);
  const formatParam = str(params, 'format');
  let format: TemporalFormat = 'normalized';
  const pick = formatParam ?? options.find((o) => o !== 'sysAttrs' && o !== 'count');
  if (pick === 'temporalValues' || pick === 'simplified' || pick === 'keyValues') format = 'temporalValues';
  else if (pick === 'aggregatedValues') format = 'aggregatedValues';
  else if (pick !== undefined && pick !== 'normalized' && pick !== 'concise')
    badRequest(`format: unknown value '${pick}'`);
  const entityParams: Params = { ...params };
  for (const k of [
    'timerel',
    'timeAt',
    'endTimeAt',
    'timeproperty',
    'lastN',
    'aggrMethods',
    'aggrPeriodDuration',
    'datasetId',
    'format',
    'options',
  ]) {
    delete entityParams[k];
  }
  if (options.includes('count')) entityParams.options = 'count';
  const parsed = unwrap(parseEntityQuery(entityParams, terms));
  if (!forRetrieve && !parsed.hasFilter && str(params, 'local') !== 'true') {
    badRequest('Query Temporal Evolution needs at least one of type, id, idPattern, attrs, q or geoQ');
  }
  const timerel = str(params, 'timerel');
  const timeAtText = str(params, 'timeAt');
  const endText = str(params, 'endTimeAt');
  if (timerel !== undefined && !['before', 'after', 'between'].includes(timerel))
    badRequest(`timerel: unknown value '${timerel}'`);
  if (timerel !== undefined && timeAtText === undefined) badRequest('timerel needs timeAt');
  if (timeAtText !== undefined && !isDateTime(timeAtText))
    badRequest(`timeAt: '${timeAtText}' is not a date-time`);
  if (timerel === 'between' && endText === undefined) badRequest('timerel=between needs endTimeAt');
  if (endText !== undefined && !isDateTime(endText)) badRequest(`endTimeAt: '${endText}' is not a date-time`);
  const tp = str(params, 'timeproperty') ?? 'observedAt';
  if (!['observedAt', 'createdAt', 'modifiedAt'].includes(tp))
    badRequest(`timeproperty: unknown value '${tp}'`);
  const lastNText = str(params, 'lastN');
  let lastN: number | undefined;
  if (lastNText !== undefined) {
    if (!/^[1-9]\d*$/.test(lastNText)) badRequest(`lastN: expected a positive integer, got '${lastNText}'`);
    lastN = Number(lastNText);
  }
  const query: TemporalQuery = {
    ids: parsed.query.ids,
    idPattern: parsed.query.idPattern,
    type: parsed.query.type,
    attrs: parsed.representation.compact.attrs
      ? [...parsed.representation.compact.attrs]
      : parsed.query.attrs,
    refinement: { q: parsed.query.q, geoQ: parsed.query.geoQ, scopeQ: parsed.query.scopeQ },
    timerel: timerel as TemporalQuery['timerel'],
    timeAt: timeAtText ? Date.parse(timeAtText) : undefined,
    endTimeAt: endText ? Date.parse(endText) : undefined,
    timeproperty: tp as TimeProperty,
    lastN,
    limit: parsed.query.limit,
    offset: parsed.query.offset,
    count: parsed.query.count,
  };
  const datasetId = str(params, 'datasetId');
  if (datasetId !== undefined) query.datasetIds = datasetId.split(',');
  if (format === 'aggregatedValues') {
    const methodsText = str(params, 'aggrMethods');
    if (!methodsText) badRequest('aggregatedValues needs aggrMethods');
    const methods = methodsText!.split(',') as AggregateMethod[];
    for (const m of methods) if (!AGGR.has(m)) badRequest(`aggrMethods: unknown method '${m}'`);
    const period = str(params, 'aggrPeriodDuration');
    const periodMs = period === undefined ? 0 : unwrap(parseDuration(period));
    query.aggregate = { methods, periodMs };
  }
  const rep = parsed.representation.compact;
  return {
    query,
    format,
    sysAttrs: options.includes('sysAttrs'),
    lang: rep.lang,
    includeId: rep.includeId,
    includeType: rep.includeType,
  };
}

function render(result: TemporalEntityResult, ctx: ReadContext, req: TemporalRequest) {
  const context = ctx.type === 'application/ld+json' ? bodyContext(ctx.contextUrl) : undefined;
  return compactTemporalEntity(
    result.header,
    result.instances,
    result.aggregates.map((b) => ({
      attr: b.attr,
      startAt: new Date(b.startMs).toISOString(),
      endAt: new Date(b.endMs).toISOString(),
      values: b.values,
    })),
    ctx.terms,
    {
      format: req.format,
      sysAttrs: req.sysAttrs,
      timeproperty: req.query.timeproperty,
      lang: req.lang,
      includeId: req.includeId,
      includeType: req.includeType,
      context,
      emptyAttributes: result.emptyAttributes,
    },
  );
}

type TemporalRange = NonNullable<Awaited<ReturnType<TemporalBroker['query']>>['range']>;

/** `Content-Range: date-time <start>-<end>/<size>` of a page of a long history (clause 6.3.10). */
function contentRange(range: TemporalRange): string {
  const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return `date-time ${at(range.startMs)}-${at(range.endMs)}/${range.size}`;
}

/**
 * The page size of temporal pagination in instances per attribute, read once at start-up from
 * TWINBOX_TEMPORAL_PAGE_INSTANCES (default: a week of minute readings fits one page).
 */
function pageSizeFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return MAX_INSTANCES_PER_ATTRIBUTE;
  if (!/^[1-9]\d*$/.test(value))
    throw new Error(`TWINBOX_TEMPORAL_PAGE_INSTANCES must be a positive integer, got '${value}'`);
  return Number(value);
}

export function temporalRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const temporal: TemporalBroker = createTemporalBroker(deps.broker.store, {
    maxInstancesPerAttribute: pageSizeFromEnv(process.env.TWINBOX_TEMPORAL_PAGE_INSTANCES),
  });

  function entityId(request: FastifyRequest<{ Params: { entityId: string } }>): string {
    const id = request.params.entityId;
    if (!isUri(id)) badRequest(`entity id '${id}' is not a URI`);
    return id;
  }

  async function sendResults(
    reply: FastifyReply,
    ctx: ReadContext,
    req: TemporalRequest,
    results: TemporalEntityResult[],
    single: boolean,
    range: TemporalRange | undefined,
  ) {
    setContextHeaders(
      reply,
      ctx.type === 'application/geo+json' ? 'application/json' : ctx.type,
      ctx.contextUrl,
    );
    if (range) reply.code(206).header('content-range', contentRange(range));
    const body = results.map((r) => render(r, ctx, req));
    return reply.send(single ? body[0] : body);
  }

  app.post('/temporal/entities', async (request, reply) => {
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      badRequest('the body must be a JSON object');
    const { terms } = await writeContext(request, deps, body);
    const input = unwrap(parseTemporalEntity(body, terms, true));
    const created = await temporal.upsertTemporalEntity(tenantOf(request), input);
    if (created)
      return reply.code(201).header('location', `/ngsi-ld/v1/temporal/entities/${input.id}`).send();
    return reply.code(204).send();
  });

  app.get('/temporal/entities', async (request, reply) => {
    const tenant = await readableTenant(request, deps.broker);
    const ctx = await readContext(request, deps, false);
    const req = parseTemporalParams(request.query as Params, ctx.terms, false);
    const { results, count, range } = await temporal.query(tenant, req.query);
    if (count !== undefined) reply.header('ngsild-results-count', String(count));
    return sendResults(reply, ctx, req, results, false, range);
  });

  app.post('/temporal/entityOperations/query', async (request, reply) => {
    const tenant = await readableTenant(request, deps.broker);
    const body = request.body as Record<string, unknown>;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      badRequest('the body must be a Query object');
    const { terms, context } = await writeContext(request, deps, body, false);
    const params: Params = { ...(request.query as Params) };
    const entities = body.entities as Array<{ id?: string; idPattern?: string; type?: string }> | undefined;
    if (entities?.[0]?.type)
      params.type = entities
        .map((e) => e.type)
        .filter(Boolean)
        .join(',');
    if (entities?.some((e) => e.id))
      params.id = entities
        .map((e) => e.id)
        .filter(Boolean)
        .join(',');
    if (entities?.[0]?.idPattern) params.idPattern = entities[0].idPattern;
    if (Array.isArray(body.attrs)) params.attrs = (body.attrs as string[]).join(',');
    if (typeof body.q === 'string') params.q = body.q;
    const tq = body.temporalQ as Record<string, string> | undefined;
    if (tq)
      for (const k of ['timerel', 'timeAt', 'endTimeAt', 'timeproperty', 'lastN'])
        if (tq[k] !== undefined) params[k] = String(tq[k]);
    const geoQ = body.geoQ as
      | { georel?: string; geometry?: string; coordinates?: unknown; geoproperty?: string }
      | undefined;
    if (geoQ) {
      params.georel = geoQ.georel;
      params.geometry = geoQ.geometry;
      params.coordinates =
        typeof geoQ.coordinates === 'string' ? geoQ.coordinates : JSON.stringify(geoQ.coordinates);
      if (geoQ.geoproperty) params.geoproperty = geoQ.geoproperty;
    }
    const ctx = await readContext(request, deps, false);
    const req = parseTemporalParams(params, terms, false);
    const { results, count, range } = await temporal.query(tenant, req.query);
    if (count !== undefined) reply.header('ngsild-results-count', String(count));
    const used = { ...ctx, terms, contextUrl: typeof context === 'string' ? context : ctx.contextUrl };
    return sendResults(reply, used, req, results, false, range);
  });

  app.get<{ Params: { entityId: string } }>('/temporal/entities/:entityId', async (request, reply) => {
    const id = entityId(request);
    const tenant = await readableTenant(request, deps.broker);
    const ctx = await readContext(request, deps, false);
    const req = parseTemporalParams(request.query as Params, ctx.terms, true);
    const { result, range } = unwrap(await temporal.retrieve(tenant, id, req.query));
    if (req.query.attrs && result.instances.length === 0 && result.aggregates.length === 0) {
      unwrap(fail('ResourceNotFound', `temporal entity '${id}' has none of the requested attributes`));
    }
    return sendResults(reply, ctx, req, [result], true, range);
  });

  app.delete<{ Params: { entityId: string } }>('/temporal/entities/:entityId', async (request, reply) => {
    const id = entityId(request);
    unwrap(await temporal.deleteTemporalEntity(tenantOf(request), id));
    return reply.code(204).send();
  });

  app.post<{ Params: { entityId: string } }>('/temporal/entities/:entityId/attrs', async (request, reply) => {
    const id = entityId(request);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      badRequest('the body must be a JSON object');
    const { terms } = await writeContext(request, deps, body);
    const input = unwrap(parseTemporalEntity(body, terms, false));
    if (input.instances.length === 0) badRequest('the body has no attribute instances');
    unwrap(await temporal.addAttributes(tenantOf(request), id, input));
    return reply.code(204).send();
  });

  function attrName(request: FastifyRequest<{ Params: { attrId: string } }>): string {
    const name = request.params.attrId;
    if (!isValidName(name)) badRequest(`attribute name '${name}' is not a valid name`);
    return name;
  }

  function instanceIdOf(request: FastifyRequest<{ Params: { instanceId: string } }>): string {
    const id = request.params.instanceId;
    if (!isUri(id)) badRequest(`instance id '${id}' is not a URI`);
    return id;
  }

  // clause 6.19–6.22: the collection and an attribute take no DELETE or PATCH of their own (RFC 9110 15.5.6)
  const notAllowed =
    (allow: string, detail: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(405)
        .header('allow', allow)
        .header('content-type', 'application/json')
        .send({ type: 'about:blank', title: 'Method not allowed', status: 405, detail });
  app.delete(
    '/temporal/entities',
    notAllowed('GET, POST', 'DELETE needs an entity id: /temporal/entities/{entityId}'),
  );
  app.patch(
    '/temporal/entities/:entityId/attrs/:attrId',
    notAllowed(
      'DELETE',
      'PATCH needs an instance id: /temporal/entities/{entityId}/attrs/{attrId}/{instanceId}',
    ),
  );

  app.delete<{ Params: { entityId: string; attrId: string } }>(
    '/temporal/entities/:entityId/attrs/:attrId',
    async (request, reply) => {
      const id = entityId(request);
      const name = attrName(request);
      const params = request.query as Params;
      const ctx = await readContext(request, deps, false);
      const datasetId = str(params, 'datasetId');
      if (datasetId !== undefined && !isUri(datasetId)) badRequest(`datasetId '${datasetId}' is not a URI`);
      unwrap(
        await temporal.deleteAttribute(
          tenantOf(request),
          id,
          ctx.terms.expand(name),
          datasetId,
          str(params, 'deleteAll') === 'true',
        ),
      );
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: { entityId: string; attrId: string; instanceId: string } }>(
    '/temporal/entities/:entityId/attrs/:attrId/:instanceId',
    async (request, reply) => {
      const id = entityId(request);
      if (request.params.attrId === '') {
        return notAllowed(
          'DELETE',
          'PATCH needs an attribute name: /temporal/entities/{entityId}/attrs/{attrId}/{instanceId}',
        )(request, reply);
      }
      const name = attrName(request);
      const instanceId = instanceIdOf(request);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        badRequest('the body must be a JSON object');
      const { terms } = await writeContext(request, deps, body);
      const attribute = unwrap(instanceOf(body as Record<string, unknown>, name, terms));
      unwrap(await temporal.modifyInstance(tenantOf(request), id, terms.expand(name), instanceId, attribute));
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { entityId: string; attrId: string; instanceId: string } }>(
    '/temporal/entities/:entityId/attrs/:attrId/:instanceId',
    async (request, reply) => {
      const id = entityId(request);
      const name = attrName(request);
      const instanceId = instanceIdOf(request);
      const ctx = await readContext(request, deps, false);
      unwrap(await temporal.deleteInstance(tenantOf(request), id, ctx.terms.expand(name), instanceId));
      return reply.code(204).send();
    },
  );
}

/**
 * The new content of an attribute instance (clause 5.6.14): either the instance itself
 * (`{"type": "Property", "value": …}`, as the ETSI suite sends it) or a fragment naming the
 * attribute (`{"speed": {…}}`).
 */
function instanceOf(body: Record<string, unknown>, name: string, terms: TermMap) {
  const raw =
    name in body ? body[name] : Object.fromEntries(Object.entries(body).filter(([k]) => k !== '@context'));
  const parsed = parseAttributeInstances(name, raw, terms);
  if (!parsed.ok) return parsed;
  if (parsed.value.instances.length !== 1)
    return fail('BadRequestData', `the body must hold one instance of '${name}'`);
  return { ok: true as const, value: parsed.value.instances[0] };
}
