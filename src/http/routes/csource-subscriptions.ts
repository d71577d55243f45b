/**
 * /ngsi-ld/v1/csourceSubscriptions (ETSI GS CIM 009 v1.8, clause 6.10–6.11; operations of clause
 * 5.11): subscriptions to changes of context source registrations.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { compactCSourceSubscription, type Federation } from '../../broker/registrations/index.ts';
import { isUri } from '../../ngsi/index.ts';
import { badRequest, bodyContext, setContextHeaders, unwrap } from '../negotiation.ts';
import { checkParams } from '../query-params.ts';
import { type RouteDeps, readContext, tenantOf, writeContext } from '../request.ts';
import { pageParams } from './csource-registrations.ts';

type Params = Record<string, string | string[] | undefined>;
type IdParams = { subscriptionId: string };

function subscriptionId(request: FastifyRequest<{ Params: IdParams }>): string {
  const id = request.params.subscriptionId;
  if (!isUri(id)) badRequest(`subscription id '${id}' is not a URI`);
  return id;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

export function csourceSubscriptionRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  federation: Federation,
): void {
  const { subscriptions } = federation;
  const now = () => new Date().toISOString();

  app.post('/csourceSubscriptions', async (request, reply) => {
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const body = objectBody(request.body);
    const { terms, context } = await writeContext(request, deps, body);
    const id = unwrap(
      await subscriptions.createSubscription(tenantOf(request), body, terms, context ?? undefined),
    );
    return reply
      .code(201)
      .header('location', `/ngsi-ld/v1/csourceSubscriptions/${encodeURIComponent(id)}`)
      .send();
  });

  app.get('/csourceSubscriptions', async (request, reply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, new Set(['limit', 'offset', 'count', 'options', 'local'])));
    const page = pageParams(params);
    const ctx = await readContext(request, deps, false);
    const { subscriptions: found, count } = await subscriptions.querySubscriptions(tenantOf(request), page);
    if (page.count) reply.header('ngsild-results-count', String(count));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    const context = ctx.type === 'application/ld+json' ? bodyContext(ctx.contextUrl) : undefined;
    return reply.send(found.map((s) => compactCSourceSubscription(s, ctx.terms, now(), context)));
  });

  app.get<{ Params: IdParams }>('/csourceSubscriptions/:subscriptionId', async (request, reply) => {
    const id = subscriptionId(request);
    unwrap(checkParams(request.query as Params, new Set(['options', 'local'])));
    const ctx = await readContext(request, deps, false);
    const sub = unwrap(await subscriptions.retrieveSubscription(tenantOf(request), id));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    const context = ctx.type === 'application/ld+json' ? bodyContext(ctx.contextUrl) : undefined;
    return reply.send(compactCSourceSubscription(sub, ctx.terms, now(), context));
  });

  app.patch<{ Params: IdParams }>('/csourceSubscriptions/:subscriptionId', async (request, reply) => {
    const id = subscriptionId(request);
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const body = objectBody(request.body);
    const { terms } = await writeContext(request, deps, body);
    unwrap(await subscriptions.updateSubscription(tenantOf(request), id, body, terms));
    return reply.code(204).send();
  });

  app.delete<{ Params: IdParams }>('/csourceSubscriptions/:subscriptionId', async (request, reply) => {
    const id = subscriptionId(request);
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    unwrap(await subscriptions.deleteSubscription(tenantOf(request), id));
    return reply.code(204).send();
  });
}
