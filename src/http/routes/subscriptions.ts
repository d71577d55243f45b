/**
 * /ngsi-ld/v1/subscriptions (clause 6.10–6.11): create, query, retrieve, update and delete
 * subscriptions. A subscription is written with the request's @context and read back compacted
 * with the reading request's @context (the core context when it names none).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createSubscriptionOperations } from '../../broker/subscriptions/index.ts';
import { compactSubscription, fail, isUri } from '../../ngsi/index.ts';
import type { StoredSubscription } from '../../store/index.ts';
import { badRequest, bodyContext, unwrap } from '../negotiation.ts';
import { checkParams, DEFAULT_LIMIT, MAX_LIMIT } from '../query-params.ts';
import { type ReadContext, type RouteDeps, readContext, tenantOf, writeContext } from '../request.ts';

type Params = Record<string, string | string[] | undefined>;
type IdParams = { subscriptionId: string };

const BASE = '/ngsi-ld/v1/subscriptions/';
const LIST_PARAMS = new Set(['limit', 'offset', 'count', 'options']);
const RETRIEVE_PARAMS = new Set(['options']);

function subscriptionId(request: FastifyRequest<{ Params: IdParams }>): string {
  const id = request.params.subscriptionId;
  if (id === '') badRequest('the subscription id is missing');
  if (!isUri(id)) badRequest(`subscription id '${id}' is not a URI`);
  return id;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    badRequest('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (Object.keys(b).length === 0) badRequest('the body is an empty object');
  return b;
}

function single(params: Params, name: string): string | undefined {
  const v = params[name];
  if (Array.isArray(v)) badRequest(`query parameter '${name}' given more than once`);
  return v;
}

function nonNegative(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) badRequest(`${name}: '${text}' is not a non-negative integer`);
  return Number(text);
}

function options(params: Params): Set<string> {
  const set = new Set((single(params, 'options') ?? '').split(',').filter((o) => o !== ''));
  for (const o of set) if (o !== 'sysAttrs' && o !== 'count') badRequest(`options: unknown value '${o}'`);
  return set;
}

function render(
  stored: StoredSubscription,
  ctx: ReadContext,
  now: string,
  sysAttrs: boolean,
): Record<string, unknown> {
  const out = compactSubscription(stored.subscription, ctx.terms, stored.state, now, sysAttrs);
  return ctx.type === 'application/ld+json' ? { ...out, '@context': bodyContext(ctx.contextUrl) } : out;
}

function sendHeaders(reply: FastifyReply, ctx: ReadContext): void {
  reply.header(
    'content-type',
    ctx.type === 'application/ld+json' ? 'application/ld+json' : 'application/json',
  );
  if (ctx.type !== 'application/ld+json') {
    reply.header(
      'link',
      `<${ctx.contextUrl ?? 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld'}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
    );
  }
}

export function subscriptionRoutes(app: FastifyInstance, deps: RouteDeps, now?: () => Date): void {
  const ops = createSubscriptionOperations({ store: deps.broker.store, now });

  const create = async (request: FastifyRequest, reply: FastifyReply) => {
    unwrap(checkParams(request.query as Params, new Set()));
    const body = objectBody(request.body);
    const { terms, context } = await writeContext(request, deps, body);
    // clause 5.2.12 jsonldContext: notifications are compacted with it, so it must be retrievable now
    if (typeof body.jsonldContext === 'string' && /^https?:\/\//.test(body.jsonldContext)) {
      unwrap(await deps.contexts.resolve(body.jsonldContext));
    }
    const sub = unwrap(await ops.createSubscription(tenantOf(request), body, terms, context));
    return reply
      .code(201)
      .header('location', `${BASE}${encodeURIComponent(sub.id)}`)
      .send();
  };
  app.post('/subscriptions', create);

  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, LIST_PARAMS));
    const opts = options(params);
    const limit = nonNegative(single(params, 'limit'), 'limit', DEFAULT_LIMIT);
    if (limit > MAX_LIMIT)
      unwrap(fail('TooManyResults', `limit ${limit} exceeds the maximum of ${MAX_LIMIT}`));
    const offset = nonNegative(single(params, 'offset'), 'offset', 0);
    const count = opts.has('count') || single(params, 'count') === 'true';
    if (limit === 0 && !count) badRequest('limit=0 is only allowed together with count');
    const ctx = await readContext(request, deps, false);
    const result = await ops.querySubscriptions(tenantOf(request), { limit, offset });
    if (count) reply.header('ngsild-results-count', String(result.count));
    sendHeaders(reply, ctx);
    const now = ops.now();
    return reply.send(result.items.map((s) => render(s, ctx, now, opts.has('sysAttrs'))));
  };
  app.get('/subscriptions', list);

  // PATCH and DELETE name one subscription; on the collection they are not allowed (RFC 9110 15.5.6)
  const collectionOnly = async (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'GET, POST')
      .header('content-type', 'application/json')
      .send({
        type: 'about:blank',
        title: 'Method not allowed',
        status: 405,
        detail: `${request.method} needs a subscription id: ${BASE}{subscriptionId}`,
      });
  app.patch('/subscriptions', collectionOnly);
  app.delete('/subscriptions', collectionOnly);

  app.get<{ Params: IdParams }>('/subscriptions/:subscriptionId', async (request, reply) => {
    const id = subscriptionId(request);
    const params = request.query as Params;
    unwrap(checkParams(params, RETRIEVE_PARAMS));
    const opts = options(params);
    const ctx = await readContext(request, deps, false);
    const stored = unwrap(await ops.retrieveSubscription(tenantOf(request), id));
    sendHeaders(reply, ctx);
    return reply.send(render(stored, ctx, ops.now(), opts.has('sysAttrs')));
  });

  app.patch<{ Params: IdParams }>('/subscriptions/:subscriptionId', async (request, reply) => {
    const id = subscriptionId(request);
    unwrap(checkParams(request.query as Params, new Set()));
    const body = objectBody(request.body);
    const { terms, context } = await writeContext(request, deps, body);
    unwrap(await ops.updateSubscription(tenantOf(request), id, body, terms, context));
    return reply.code(204).send();
  });

  app.delete<{ Params: IdParams }>('/subscriptions/:subscriptionId', async (request, reply) => {
    const id = subscriptionId(request);
    unwrap(checkParams(request.query as Params, new Set()));
    unwrap(await ops.deleteSubscription(tenantOf(request), id));
    return reply.code(204).send();
  });
}
