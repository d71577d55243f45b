/**
 * /ngsi-ld/v1/jsonldContexts (clause 5.13, 6.29–6.30): the @contexts this broker hosts (added
 * by clients, kept in the store) and the remote ones it has cached.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CORE_CONTEXT_URL, CORE_CONTEXTS, fail } from '../../ngsi/index.ts';
import type { StoredContext } from '../../store/index.ts';
import { badRequest, unwrap } from '../negotiation.ts';
import { checkParams } from '../query-params.ts';
import type { RouteDeps } from '../request.ts';

type Params = Record<string, string | string[] | undefined>;
export const CONTEXTS_PATH = '/ngsi-ld/v1/jsonldContexts/';

interface Details {
  URL: string;
  localId: string;
  kind: 'Hosted' | 'Cached' | 'ImplicitlyCreated';
  createdAt: string;
  lastUsage?: string;
  numberOfHits?: number;
}

export function jsonldContextRoutes(app: FastifyInstance, deps: RouteDeps, baseUrl: () => string): void {
  const store = deps.broker.store;

  function hostedUrl(id: string): string {
    return `${baseUrl()}${CONTEXTS_PATH}${id}`;
  }

  async function allDetails(): Promise<Details[]> {
    const hosted = (await store.listContexts()).map(
      (c: StoredContext): Details => ({
        URL: hostedUrl(c.id),
        localId: c.id,
        kind: c.kind,
        createdAt: c.createdAt,
        ...(c.lastUsage ? { lastUsage: c.lastUsage } : {}),
        numberOfHits: c.numberOfHits,
      }),
    );
    const cached = deps.contexts.cachedDocuments().map(
      (d): Details => ({
        URL: d.url,
        localId: encodeURIComponent(d.url),
        kind: 'Cached',
        createdAt: d.fetchedAt,
        lastUsage: d.lastUsage,
        numberOfHits: d.hits,
      }),
    );
    const core: Details = {
      URL: CORE_CONTEXT_URL,
      localId: 'core',
      kind: 'Cached',
      createdAt: new Date(0).toISOString(),
    };
    return [core, ...hosted, ...cached];
  }

  app.get('/jsonldContexts', async (request, reply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, new Set(['details', 'kind'])));
    let list = await allDetails();
    if (params.kind !== undefined) {
      if (!['Hosted', 'Cached', 'ImplicitlyCreated'].includes(String(params.kind)))
        badRequest(`kind: unknown value '${String(params.kind)}'`);
      list = list.filter((d) => d.kind === params.kind);
    }
    if (params.details !== undefined && params.details !== 'true' && params.details !== 'false')
      badRequest('details: expected true or false');
    return reply.send(params.details === 'true' ? list : list.map((d) => d.URL));
  });

  app.post('/jsonldContexts', async (request, reply) => {
    unwrap(checkParams(request.query as Params, new Set()));
    const body = request.body as Record<string, unknown> | null;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      badRequest('the body must be a JSON object with an @context member');
    if (!('@context' in body!)) unwrap(fail('InvalidRequest', 'the body has no @context member'));
    const ctx = body!['@context'];
    const entries = Array.isArray(ctx) ? ctx : [ctx];
    for (const e of entries) {
      if (typeof e === 'string') continue;
      if (e === null || typeof e !== 'object' || Array.isArray(e))
        badRequest('@context: each entry must be a URL or an object of term definitions');
      for (const v of Object.values(e as object)) {
        if (typeof v !== 'string' && v !== null && (typeof v !== 'object' || Array.isArray(v)))
          badRequest('@context: every term must map to an IRI or a term definition');
      }
    }
    const id = randomUUID();
    await store.putContext({
      id,
      url: hostedUrl(id),
      kind: 'Hosted',
      body,
      createdAt: new Date().toISOString(),
      numberOfHits: 0,
    });
    return reply.code(201).header('location', hostedUrl(id)).send();
  });

  app.get<{ Params: { contextId: string } }>('/jsonldContexts/:contextId', async (request, reply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, new Set(['details'])));
    const id = request.params.contextId;
    if (id === 'core' || CORE_CONTEXTS.has(id)) {
      const body = CORE_CONTEXTS.get(CORE_CONTEXT_URL);
      if (params.details === 'true') return reply.send((await allDetails())[0]);
      return reply.header('content-type', 'application/json').send(body);
    }
    const hosted = await store.getContext(id);
    if (hosted) {
      hosted.numberOfHits++;
      hosted.lastUsage = new Date().toISOString();
      await store.putContext(hosted);
      if (params.details === 'true') return reply.send((await allDetails()).find((d) => d.localId === id));
      return reply.header('content-type', 'application/json').send(hosted.body);
    }
    const cached = deps.contexts
      .cachedDocuments()
      .find((d) => d.url === id || encodeURIComponent(d.url) === id);
    if (cached) {
      if (params.details === 'true')
        return reply.send((await allDetails()).find((d) => d.URL === cached.url));
      return reply.header('content-type', 'application/json').send(cached.body);
    }
    return unwrap(fail('ResourceNotFound', `no @context '${id}'`));
  });

  app.delete<{ Params: { contextId: string } }>('/jsonldContexts/:contextId', async (request, reply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, new Set(['reload'])));
    const id = request.params.contextId;
    if (params.reload !== undefined && params.reload !== 'true' && params.reload !== 'false')
      badRequest(`reload: expected true or false, got '${String(params.reload)}'`);
    const reload = params.reload === 'true';
    // the core context ships with twinbox: "reloading" it is a no-op, deleting it is refused
    if (id === 'core' || CORE_CONTEXTS.has(id)) {
      if (reload) return reply.code(204).send();
      badRequest('the core @context cannot be deleted');
    }
    if (await store.getContext(id)) {
      if (reload) badRequest('reload applies to cached @contexts, not hosted ones');
      await store.deleteContext(id);
      deps.contexts.clearTermMaps();
      return reply.code(204).send();
    }
    const cached = deps.contexts
      .cachedDocuments()
      .find((d) => d.url === id || encodeURIComponent(d.url) === id);
    if (!cached) {
      if (reload) badRequest(`no cached @context '${id}' to reload`);
      return unwrap(fail('ResourceNotFound', `no @context '${id}'`));
    }
    deps.contexts.clearTermMaps();
    if (reload) unwrap(await deps.contexts.reload(cached.url));
    else deps.contexts.evict(cached.url);
    return reply.code(204).send();
  });
}
