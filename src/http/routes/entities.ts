/**
 * /ngsi-ld/v1/entities and its attribute sub-resources (clause 6.4–6.7).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DistributedQuery } from '../../broker/registrations/index.ts';
import {
  fail,
  isUri,
  isValidName,
  parseAttributeFragment,
  parseAttributeInstances,
  parseEntity,
} from '../../ngsi/index.ts';
import { badRequest, unwrap } from '../negotiation.ts';
import { checkParams, parseEntityQuery, parseRepresentation, RETRIEVE_PARAMS } from '../query-params.ts';
import {
  type ReadContext,
  type RouteDeps,
  readableTenant,
  readContext,
  sendEntities,
  tenantOf,
  writeContext,
} from '../request.ts';
import { forwardContext, readableFederatedTenant } from './csource-registrations.ts';

type Params = Record<string, string | string[] | undefined>;
type IdParams = { entityId: string };
type AttrParams = { entityId: string; attrId: string };

function entityId(request: FastifyRequest<{ Params: IdParams }>): string {
  const id = request.params.entityId;
  if (!isUri(id)) badRequest(`entity id '${id}' is not a URI`);
  return id;
}

function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) unwrap(fail('InvalidRequest', 'the request body is empty'));
  if (Array.isArray(body)) unwrap(fail('InvalidRequest', 'the body must be a JSON object, not an array'));
  if (body === null || typeof body !== 'object') badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function only(params: Params, allowed: string[]): void {
  unwrap(checkParams(params, new Set(allowed)));
}

function flag(params: Params, value: string): boolean {
  const o = params.options;
  return typeof o === 'string' && o.split(',').includes(value);
}

export function entityRoutes(app: FastifyInstance, deps: RouteDeps, federation?: DistributedQuery): void {
  const { broker } = deps;

  app.post('/entities', async (request, reply) => {
    only(request.query as Params, ['local']);
    const body = requireObjectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    const entity = unwrap(parseEntity(body, terms));
    unwrap(await broker.createEntity(tenantOf(request), entity));
    return reply.code(201).header('location', `/ngsi-ld/v1/entities/${entity.id}`).send();
  });

  // PUT and PATCH need an entity id in the path (clause 6.5.3)
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/entities',
      handler: async () => badRequest('the entity id is missing from the path'),
    });
  }

  /** clause 5.6.21 Purge Entities: delete every entity a query selects */
  app.delete('/entities', async (request, reply) => {
    const params = request.query as Params;
    unwrap(
      checkParams(
        params,
        new Set([
          'type',
          'attrs',
          'q',
          'idPattern',
          'id',
          'scopeQ',
          'local',
          'georel',
          'geometry',
          'coordinates',
          'geoproperty',
        ]),
      ),
    );
    const tenant = await readableTenant(request, broker);
    const ctx = await readContext(request, deps);
    const parsed = unwrap(parseEntityQuery(params, ctx.terms));
    if (!parsed.hasFilter)
      badRequest('Purge Entities needs at least one of type, id, idPattern, attrs, q, geoQ or scopeQ');
    for (;;) {
      const page = await broker.queryEntities(tenant, {
        ...parsed.query,
        limit: 1000,
        offset: 0,
        count: false,
      });
      if (page.entities.length === 0) break;
      await broker.batch(
        tenant,
        'delete',
        page.entities.map((e) => ({ ok: true as const, entity: e })),
      );
      if (page.entities.length < 1000) break;
    }
    return reply.code(204).send();
  });

  async function answerQuery(request: FastifyRequest, reply: FastifyReply, params: Params, ctx: ReadContext) {
    const tenant = await readableFederatedTenant(request, broker, federation);
    const parsed = unwrap(parseEntityQuery(params, ctx.terms));
    if (!parsed.hasFilter) {
      badRequest('Query Entities needs at least one of type, attrs, q, geoQ or scopeQ, or local=true');
    }
    // clause 4.3.6: matching context sources answer too, unless local=true
    const { result, warnings } = federation
      ? await federation.queryEntities(forwardContext(request, tenant, ctx.terms), parsed.query)
      : { result: await broker.queryEntities(tenant, parsed.query), warnings: [] };
    if (warnings.length > 0) reply.header('ngsild-warning', warnings.join(', '));
    if (result.count !== undefined) reply.header('ngsild-results-count', String(result.count));
    const geometryProperty = params.geometryProperty;
    return sendEntities(
      reply,
      ctx,
      result.entities,
      parsed.representation.compact,
      typeof geometryProperty === 'string' ? geometryProperty : 'location',
    );
  }

  app.get('/entities', async (request, reply) =>
    answerQuery(request, reply, request.query as Params, await readContext(request, deps)),
  );

  /** clause 5.7.2 / 6.23: Query Entities with the query in a POST body */
  app.post('/entityOperations/query', async (request, reply) => {
    const body = requireObjectBody(request.body);
    const { terms, context } = await writeContext(request, deps, body, false);
    const read = await readContext(request, deps);
    const params: Params = { ...(request.query as Params) };
    const entities = body.entities as Array<{ id?: string; idPattern?: string; type?: string }> | undefined;
    if (entities !== undefined && !Array.isArray(entities)) badRequest('Query: entities must be an array');
    const types = (entities ?? []).map((e) => e.type).filter((t): t is string => typeof t === 'string');
    const ids = (entities ?? []).map((e) => e.id).filter((t): t is string => typeof t === 'string');
    const patterns = (entities ?? [])
      .map((e) => e.idPattern)
      .filter((t): t is string => typeof t === 'string');
    if (types.length > 0) params.type = [...new Set(types)].join(',');
    if (ids.length > 0) params.id = ids.join(',');
    if (patterns.length > 0) params.idPattern = patterns.join('|');
    if (Array.isArray(body.attrs)) params.attrs = (body.attrs as string[]).join(',');
    for (const k of ['q', 'scopeQ', 'lang', 'pick', 'omit'] as const)
      if (typeof body[k] === 'string') params[k] = body[k] as string;
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
    const contextUrl = typeof context === 'string' ? context : read.contextUrl;
    return answerQuery(request, reply, params, { ...read, terms, contextUrl });
  });

  app.get<{ Params: IdParams }>('/entities/:entityId', async (request, reply) => {
    const id = entityId(request);
    const params = request.query as Params;
    unwrap(checkParams(params, RETRIEVE_PARAMS));
    const tenant = await readableFederatedTenant(request, broker, federation);
    const ctx = await readContext(request, deps);
    const rep = unwrap(parseRepresentation(params, ctx.terms));
    const attrs = rep.compact.attrs ? [...rep.compact.attrs] : undefined;
    const forwarded = federation
      ? await federation.retrieveEntity(forwardContext(request, tenant, ctx.terms), id, attrs)
      : undefined;
    if (forwarded && forwarded.warnings.length > 0)
      reply.header('ngsild-warning', forwarded.warnings.join(', '));
    const entity = unwrap(forwarded ? forwarded.result : await broker.retrieveEntity(tenant, id));
    if (typeof params.type === 'string') {
      const wanted = params.type.split(',').map((t) => ctx.terms.expand(t));
      if (!wanted.some((t) => entity.type.includes(t)))
        unwrap(fail('ResourceNotFound', `entity '${id}' is not of type '${params.type}'`));
    }
    if (typeof params.datasetId === 'string') rep.compact.datasetId = params.datasetId;
    const geometryProperty =
      typeof params.geometryProperty === 'string' ? params.geometryProperty : 'location';
    return sendEntities(reply, ctx, entity, rep.compact, geometryProperty);
  });

  app.put<{ Params: IdParams }>('/entities/:entityId', async (request, reply) => {
    const id = entityId(request);
    only(request.query as Params, ['local']);
    const body = requireObjectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    const entity = unwrap(parseEntity({ ...body, id: body.id ?? id }, terms));
    if (entity.id !== id) badRequest(`the body's id '${entity.id}' differs from the URL's '${id}'`);
    unwrap(await broker.replaceEntity(tenantOf(request), id, entity));
    return reply.code(204).send();
  });

  app.patch<{ Params: IdParams }>('/entities/:entityId', async (request, reply) => {
    const id = entityId(request);
    only(request.query as Params, ['local', 'format', 'options', 'observedAt', 'lang']);
    const body = requireObjectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    if (body.id !== undefined && body.id !== id)
      badRequest(`the body's id '${String(body.id)}' differs from the URL's '${id}'`);
    const patch = unwrap(parseEntity(body, terms, { requireId: false, requireType: false }));
    unwrap(await broker.mergeEntity(tenantOf(request), id, { ...patch, id }));
    return reply.code(204).send();
  });

  app.delete<{ Params: IdParams }>('/entities/:entityId', async (request, reply) => {
    const id = entityId(request);
    only(request.query as Params, ['local', 'type']);
    unwrap(await broker.deleteEntity(tenantOf(request), id));
    return reply.code(204).send();
  });

  const attributeOutcome = (
    reply: import('fastify').FastifyReply,
    outcome: { updated: string[]; notUpdated: Array<{ attributeName: string; reason: string }> },
  ) => {
    if (outcome.notUpdated.length === 0) return reply.code(204).send();
    // UpdateResult names attributes by their expanded names, as the conformance suite reads it
    return reply.code(207).send({ updated: outcome.updated, notUpdated: outcome.notUpdated });
  };

  /** An append or update body: attributes, and possibly types and scopes (clause 5.6.2–5.6.3). */
  async function fragmentOf(request: FastifyRequest, what: string) {
    const body = requireObjectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    const fragment = unwrap(parseEntity(body, terms, { requireId: false, requireType: false }));
    if (
      Object.keys(fragment.attrs).length === 0 &&
      fragment.type.length === 0 &&
      fragment.scope === undefined
    ) {
      badRequest(`the body has no attributes to ${what}`);
    }
    return { terms, fragment };
  }

  app.post<{ Params: IdParams }>('/entities/:entityId/attrs', async (request, reply) => {
    const id = entityId(request);
    const params = request.query as Params;
    only(params, ['options', 'local']);
    const { fragment } = await fragmentOf(request, 'append');
    return attributeOutcome(
      reply,
      unwrap(await broker.appendAttributes(tenantOf(request), id, fragment, flag(params, 'noOverwrite'))),
    );
  });

  app.patch<{ Params: IdParams }>('/entities/:entityId/attrs', async (request, reply) => {
    const id = entityId(request);
    only(request.query as Params, ['local']);
    const { fragment } = await fragmentOf(request, 'update');
    return attributeOutcome(reply, unwrap(await broker.updateAttributes(tenantOf(request), id, fragment)));
  });

  // an attribute operation needs the attribute's name in the path
  app.delete<{ Params: IdParams }>('/entities/:entityId/attrs', async (_request, reply) =>
    reply.code(405).header('allow', 'POST, PATCH').send({
      type: 'https://uri.etsi.org/ngsi-ld/errors/InvalidRequest',
      title: 'Method not allowed',
      status: 405,
      detail: 'DELETE needs an attribute name: /entities/{entityId}/attrs/{attrId}',
    }),
  );

  app.patch<{ Params: AttrParams }>('/entities/:entityId/attrs/:attrId', async (request, reply) => {
    const id = entityId(request);
    only(request.query as Params, ['local']);
    const body = requireObjectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    if (!isValidName(request.params.attrId))
      badRequest(`attribute name '${request.params.attrId}' is not valid`);
    const name = terms.expand(request.params.attrId);
    const { '@context': _ctx, ...rest } = body;
    const { patch, typeGiven } = unwrap(parseAttributeFragment(request.params.attrId, rest, terms));
    unwrap(await broker.partialAttributeUpdate(tenantOf(request), id, name, patch, typeGiven));
    return reply.code(204).send();
  });

  app.put<{ Params: AttrParams }>('/entities/:entityId/attrs/:attrId', async (request, reply) => {
    const id = entityId(request);
    only(request.query as Params, ['local']);
    const body = requireObjectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    const { '@context': _ctx, ...rest } = body;
    const attrName = request.params.attrId;
    if (!isValidName(attrName) || attrName.startsWith('@') || ['scope', 'id', 'type'].includes(attrName)) {
      badRequest(`'${attrName}' is not an attribute that can be replaced`);
    }
    const parsed = unwrap(parseAttributeInstances(request.params.attrId, rest, terms));
    unwrap(await broker.replaceAttribute(tenantOf(request), id, parsed.iri, parsed.instances));
    return reply.code(204).send();
  });

  app.delete<{ Params: AttrParams }>('/entities/:entityId/attrs/:attrId', async (request, reply) => {
    const id = entityId(request);
    const params = request.query as Params;
    only(params, ['datasetId', 'deleteAll', 'local']);
    const ctx = await readContext(request, deps);
    const name = ctx.terms.expand(request.params.attrId);
    const datasetId = typeof params.datasetId === 'string' ? params.datasetId : undefined;
    if (datasetId !== undefined && !isUri(datasetId)) badRequest(`datasetId '${datasetId}' is not a URI`);
    const deleteAll = params.deleteAll === 'true';
    unwrap(await broker.deleteAttribute(tenantOf(request), id, name, datasetId, deleteAll));
    return reply.code(204).send();
  });
}
